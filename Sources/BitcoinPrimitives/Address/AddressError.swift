/// Why a string is not a usable Bitcoin address, or why Base58/Bech32 data is malformed.
///
/// Every case says exactly what is wrong; `description` is a one-line message
/// suitable for showing to an operator who mistyped a payout address.
/// Positions count Unicode scalars from 0.
public enum AddressError: Error, Sendable, Hashable {
    /// The text is empty.
    case empty
    /// The text is `length` characters; at most `limit` are allowed (BIP173: 90).
    case tooLong(length: Int, limit: Int)
    /// A character that the encoding does not allow, at the given position.
    case invalidCharacter(Unicode.Scalar, position: Int)
    /// Bech32 text mixes upper and lower case letters (BIP173 forbids it).
    case mixedCase
    /// Bech32 text has no `1` separating the human-readable part from the data.
    case missingSeparator
    /// Bech32 text has nothing before its `1` separator.
    case emptyHRP
    /// Too short to hold a checksum (6 characters for Bech32, 4 bytes for Base58Check).
    case checksumTooShort
    /// The checksum does not match: the text was mistyped or corrupted.
    case invalidChecksum
    /// A value given for bit regrouping does not fit in `bits` bits.
    case valueOutOfRange(value: UInt8, bits: Int)
    /// 5-to-8 bit conversion left `bits` bits of padding; at most 4 are allowed (BIP173).
    case excessPadding(bits: Int)
    /// 5-to-8 bit conversion left padding bits that are not zero (BIP173).
    case nonZeroPadding
    /// The Bech32 human-readable part is not one used by any supported network.
    case unknownHRP(String)
    /// A segwit address has an empty data part, so no witness version.
    case missingWitnessVersion
    /// The witness version is above 16.
    case invalidWitnessVersion(UInt8)
    /// The witness program is this many bytes; BIP141 allows 2 to 40.
    case invalidProgramLength(Int)
    /// A version 0 witness program is this many bytes; BIP141 allows only 20 (P2WPKH) or 32 (P2WSH).
    case invalidV0ProgramLength(Int)
    /// The checksum is valid but of the wrong variant for the witness version:
    /// version 0 must use Bech32, versions 1–16 Bech32m (BIP350).
    case wrongChecksumVariant(witnessVersion: UInt8, found: Bech32.Variant)
    /// The Base58Check version byte is not P2PKH or P2SH of any supported network.
    case unknownVersionByte(UInt8)
    /// The Base58Check payload is this many bytes; addresses have 21 (version + 20-byte hash).
    case invalidPayloadLength(Int)
    /// The address is valid but belongs to `actual`, not the `expected` network.
    case wrongNetwork(expected: BitcoinNetwork, actual: [BitcoinNetwork])
}

extension AddressError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty:
            return "address is empty"
        case let .tooLong(length, limit):
            return "address is \(length) characters long; at most \(limit) are allowed"
        case let .invalidCharacter(scalar, position):
            return "invalid character \(Self.show(scalar)) at position \(position)"
        case .mixedCase:
            return "bech32 address mixes upper and lower case"
        case .missingSeparator:
            return "bech32 address has no '1' separator"
        case .emptyHRP:
            return "bech32 address has an empty human-readable part before '1'"
        case .checksumTooShort:
            return "too short to contain a checksum"
        case .invalidChecksum:
            return "checksum mismatch: the address is mistyped or corrupted"
        case let .valueOutOfRange(value, bits):
            return "value \(value) does not fit in \(bits) bits"
        case let .excessPadding(bits):
            return "\(bits) bits of padding at the end of the data; at most 4 are allowed"
        case .nonZeroPadding:
            return "padding bits at the end of the data are not zero"
        case let .unknownHRP(hrp):
            return "unknown human-readable part '\(hrp)' (expected bc, tb or bcrt)"
        case .missingWitnessVersion:
            return "segwit address has an empty data part (no witness version)"
        case let .invalidWitnessVersion(v):
            return "invalid witness version \(v); must be 0 to 16"
        case let .invalidProgramLength(n):
            return "witness program is \(n) bytes; must be 2 to 40"
        case let .invalidV0ProgramLength(n):
            return "witness version 0 program is \(n) bytes; must be 20 or 32"
        case let .wrongChecksumVariant(version, found):
            let wanted: Bech32.Variant = version == 0 ? .bech32 : .bech32m
            return "witness version \(version) requires a \(wanted) checksum, but the address uses \(found)"
        case let .unknownVersionByte(v):
            return "unknown base58 version byte 0x\(Self.hexByte(v)) (not a P2PKH or P2SH address)"
        case let .invalidPayloadLength(n):
            return "base58 payload is \(n) bytes; an address has 21 (version byte and 20-byte hash)"
        case let .wrongNetwork(expected, actual):
            let names = actual.map(\.rawValue).joined(separator: "/")
            return "address is for \(names), not \(expected.rawValue)"
        }
    }

    private static func show(_ scalar: Unicode.Scalar) -> String {
        if (0x21...0x7e).contains(scalar.value) { return "'\(Character(scalar))'" }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func hexByte(_ v: UInt8) -> String { Hex.encode([v]) }
}
