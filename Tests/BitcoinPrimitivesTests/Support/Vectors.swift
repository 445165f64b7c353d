import Foundation
import BitcoinPrimitives

/// Loads test vector files from the bundled `Vectors` folder.
enum Vectors {
    struct Missing: Error { let name: String }

    /// The raw bytes of `Vectors/<name>.json`.
    static func data(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw Missing(name: name)
        }
        return try Data(contentsOf: url)
    }

    /// Decodes `Vectors/<name>.json`.
    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: data(name))
    }
}

/// Hex to bytes, trapping on malformed test data.
func bytes(_ hex: String) -> [UInt8] {
    guard let b = Hex.decode(hex) else { fatalError("bad hex in test data: \(hex.prefix(20))") }
    return b
}

/// Shapes of the vector files.
struct HeaderVector: Decodable {
    let hex: String
    let hash: String
    let version: Int32
    let prevBlock: String
    let merkleRoot: String
    let time: UInt32
    let bits: String
    let nonce: UInt32
    let coinbase: String?
    let block: String?
    let txids: [String]?
}

struct HeaderVectors: Decodable {
    let genesis: HeaderVector
    let block100000: HeaderVector
}

struct TransactionVector: Decodable {
    let name: String
    let hex: String
    let txid: String
    let wtxid: String
    let segwit: Bool
    let coinbase: Bool
    let weight: Int?
    let witnessCommitment: String?
    let height: Int?
}

struct TransactionVectors: Decodable {
    let transactions: [TransactionVector]
}
