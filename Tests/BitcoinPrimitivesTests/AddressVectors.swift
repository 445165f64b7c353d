import BitcoinPrimitives
import Foundation

/// Loaders for the address test vectors in `Vectors/` (BIP173, BIP350, Base58Check).
enum AddressVectors {
    /// An expected `AddressError`, as written in the vector files.
    struct ExpectedError: Decodable, Sendable {
        var kind: String
        var position: Int?
        var length: Int?
        var limit: Int?
        var hrp: String?
        var version: UInt8?
        var bits: Int?
        var found: String?

        /// The error the decoder must throw for `input`.
        func error(for input: String) -> AddressError? {
            switch kind {
            case "empty": return .empty
            case "tooLong": return .tooLong(length: length!, limit: limit!)
            case "invalidCharacter":
                let scalars = Array(input.unicodeScalars)
                return .invalidCharacter(scalars[position!], position: position!)
            case "mixedCase": return .mixedCase
            case "missingSeparator": return .missingSeparator
            case "emptyHRP": return .emptyHRP
            case "checksumTooShort": return .checksumTooShort
            case "invalidChecksum": return .invalidChecksum
            case "excessPadding": return .excessPadding(bits: bits!)
            case "nonZeroPadding": return .nonZeroPadding
            case "unknownHRP": return .unknownHRP(hrp!)
            case "missingWitnessVersion": return .missingWitnessVersion
            case "invalidWitnessVersion": return .invalidWitnessVersion(version!)
            case "invalidProgramLength": return .invalidProgramLength(length!)
            case "invalidV0ProgramLength": return .invalidV0ProgramLength(length!)
            case "wrongChecksumVariant":
                return .wrongChecksumVariant(witnessVersion: version!, found: found == "bech32" ? .bech32 : .bech32m)
            case "unknownVersionByte": return .unknownVersionByte(version!)
            case "invalidPayloadLength": return .invalidPayloadLength(length!)
            default: return nil
            }
        }
    }

    struct Bech32File: Decodable {
        struct Valid: Decodable { var string: String; var variant: String }
        struct Invalid: Decodable { var string: String; var source: String; var reason: String; var error: ExpectedError }
        var valid: [Valid]
        var invalid: [Invalid]
    }

    struct ValidAddress: Decodable {
        var address: String
        var scriptPubKey: String
        var networks: [String]
    }

    struct InvalidAddress: Decodable {
        var address: String
        var reason: String
        var error: ExpectedError
    }

    struct SegwitFile: Decodable {
        var valid: [ValidAddress]
        var invalid: [InvalidAddress]
    }

    struct Base58File: Decodable {
        struct Pair: Decodable { var hex: String; var base58: String }
        var encodeDecode: [Pair]
        var valid: [ValidAddress]
        var invalid: [InvalidAddress]
    }

    struct WrongNetworkFile: Decodable {
        struct Case: Decodable { var address: String; var network: String; var actualNetworks: [String] }
        var cases: [Case]
    }

    static func load<T: Decodable>(_ name: String, as _: T.Type = T.self) throws -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Vectors/\(name).json"])
        }
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    static func networks(_ names: [String]) -> [BitcoinNetwork] {
        names.map { BitcoinNetwork(rawValue: $0)! }
    }
}
