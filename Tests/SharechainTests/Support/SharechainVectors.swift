import Foundation
import Testing
import BitcoinPrimitives
import Ed25519
import Sharechain
import TIDES

/// Loads the JSON vector files bundled from `Vectors/` (written by `generate_vectors.py`).
enum SharechainVectors {
    struct Missing: Error { let name: String }

    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw Missing(name: name)
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: Data(contentsOf: url))
    }
}

/// Hex to bytes, trapping on malformed test data.
func hexBytes(_ hex: String) -> [UInt8] {
    guard let b = Hex.decode(hex) else { fatalError("bad hex in test data: \(hex.prefix(20))") }
    return b
}

func sat(_ n: Int64) -> Amount { Amount(satoshis: n)! }

/// A hash of 32 copies of `byte`.
func filledHash(_ byte: UInt8) -> Hash256 { Hash256(bytes: [UInt8](repeating: byte, count: 32))! }

/// A P2WPKH-shaped script whose program is `n` repeated.
func wpkh(_ n: UInt8) -> Script { Script([0x00, 0x14] + [UInt8](repeating: n, count: 20)) }

/// A P2TR-shaped script whose program is `n` repeated.
func taproot(_ n: UInt8) -> Script { Script([0x51, 0x20] + [UInt8](repeating: n, count: 32)) }

struct PayoutVector: Decodable {
    let script: String
    let amount: Int64
    var entry: PayoutEntry { PayoutEntry(script: Script(hex: script)!, amount: sat(amount)) }
}

struct CoinbaseCase: Decodable, CustomTestStringConvertible {
    let name: String
    let height: Int
    let value: Int64
    let nodeTag: String
    let payouts: [PayoutVector]
    let shareHash: String
    let witnessCommitment: String
    let extranonce1: String
    let extranonce2: String
    let scriptSig: String
    let coinb1: String
    let coinb2: String
    let tx: String
    let txid: String

    var testDescription: String { name }

    func template() throws -> CoinbaseTemplate {
        try CoinbaseTemplate(
            bitcoinHeight: height, coinbaseValue: sat(value), witnessCommitment: Script(hex: witnessCommitment)!,
            nodeTag: hexBytes(nodeTag), payouts: payouts.map(\.entry),
            shareHash: ShareHash(rawHash: Hash256(internalHex: shareHash)!))
    }
}

struct CoinbaseVectorFile: Decodable { let cases: [CoinbaseCase] }

struct ShareEncodingVector: Decodable {
    struct BitcoinHeaderVector: Decodable {
        let version: Int32
        let prevBlock: String
        let merkleRoot: String
        let time: UInt32
        let bits: UInt32
        let nonce: UInt32
        let hex: String
    }
    let seed: String
    let nodeKey: String
    let version: UInt32
    let consensusId: String
    let prevShare: String
    let height: UInt32
    let bits: UInt32
    let timestamp: UInt64
    let coinbaseClass: UInt8
    let payoutScript: String
    let headerHex: String
    let shareHash: String
    let signingMessage: String
    let signature: String
    let bitcoinHeader: BitcoinHeaderVector
    let scriptSig: String
    let coinbaseValue: Int64
    let witnessCommitment: String
    let payouts: [PayoutVector]
    let coinbaseTxid: String
    let merkleBranch: [String]
    let wireHex: String
    let sequence: UInt64
    let summaryHex: String
}

/// One row of `Vectors/coinbase_classes.json`: a class's firmware limits and the budget
/// arithmetic `generate_vectors.py` derives from them.
struct CoinbaseClassVector: Decodable {
    let id: UInt8
    let name: String
    let coinb1Limit: Int?
    let coinb2Limit: Int?
    let wholeLimit: Int?
    let maxCoinb1: Int
    let maxCoinb2: Int
    let outputCountSize: Int
    let payoutRoom: Int
    let payoutBudgetBytes: Int
    let paidOutputsBytes: Int
    let p2wpkhPaid: Int
    let p2trPaid: Int
}

struct CoinbaseClassVectors: Decodable {
    let classes: [CoinbaseClassVector]
}
