/// The coinbase split around the extranonces, as Stratum v1's `mining.notify`
/// sends it. Both halves are cut from the non-witness serialization (what miners
/// hash for the txid):
/// - `coinb1`: version, input count, null prevout, the CompactSize length of the
///   *full* scriptSig (extranonces included), the BIP34 height push and the node tag;
/// - `coinb2`: everything after extranonce2: sequence, output count, outputs, lock time.
///
/// `coinb1 ‖ extranonce1 (4) ‖ extranonce2 (8) ‖ coinb2` is exactly the coinbase's
/// non-witness serialization.
public struct StratumCoinbase: Sendable, Hashable {
    /// The bytes before extranonce1.
    public var coinb1: [UInt8]
    /// The bytes after extranonce2.
    public var coinb2: [UInt8]

    /// Size of extranonce1, chosen by the node per connection.
    public static let extranonce1Size = 4
    /// Size of extranonce2, chosen by the miner.
    public static let extranonce2Size = 8

    /// Wraps two halves.
    public init(coinb1: [UInt8], coinb2: [UInt8]) {
        self.coinb1 = coinb1
        self.coinb2 = coinb2
    }

    /// Cuts `transaction` (whose scriptSig is `prefix ‖ extranonce1 ‖ extranonce2` with
    /// a prefix of `scriptSigPrefixSize` bytes) around its extranonces.
    public init(transaction: Transaction, scriptSigPrefixSize: Int) {
        let bytes = transaction.serialized(includingWitness: false)
        let scriptSigSize = transaction.inputs[0].scriptSig.bytes.count
        // version (4) + input count (1) + prevout (36) + scriptSig length + prefix
        let end1 = 4 + 1 + OutPoint.serializedSize + compactSizeLength(UInt64(scriptSigSize)) + scriptSigPrefixSize
        let start2 = end1 + Self.extranonce1Size + Self.extranonce2Size
        coinb1 = Array(bytes[..<end1])
        coinb2 = Array(bytes[start2...])
    }

    /// `coinb1` as lowercase hex.
    public var coinb1Hex: String { Hex.encode(coinb1) }
    /// `coinb2` as lowercase hex.
    public var coinb2Hex: String { Hex.encode(coinb2) }

    /// The coinbase's non-witness serialization for the given extranonces.
    public func serialized(extranonce1: [UInt8], extranonce2: [UInt8]) throws(CoinbaseError) -> [UInt8] {
        try Self.checkExtranonces(extranonce1, extranonce2)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(coinb1.count + extranonce1.count + extranonce2.count + coinb2.count)
        bytes.append(contentsOf: coinb1)
        bytes.append(contentsOf: extranonce1)
        bytes.append(contentsOf: extranonce2)
        bytes.append(contentsOf: coinb2)
        return bytes
    }

    /// The coinbase txid: SHA-256d of `coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2`,
    /// hashed directly without building a `Transaction` (the per-submit hot path).
    public func txid(extranonce1: [UInt8], extranonce2: [UInt8]) throws(CoinbaseError) -> Txid {
        Txid(rawHash: SHA256d.hash(try serialized(extranonce1: extranonce1, extranonce2: extranonce2)))
    }

    /// The block merkle root for the given extranonces and the job's merkle branch.
    public func merkleRoot(extranonce1: [UInt8], extranonce2: [UInt8],
                           branch: [Hash256]) throws(CoinbaseError) -> MerkleRoot {
        Merkle.root(coinbaseTxid: try txid(extranonce1: extranonce1, extranonce2: extranonce2), branch: branch)
    }

    /// The coinbase transaction (without witness) for the given extranonces, e.g.
    /// to assemble a found block.
    public func transaction(extranonce1: [UInt8], extranonce2: [UInt8]) throws -> Transaction {
        try Transaction(serialized: serialized(extranonce1: extranonce1, extranonce2: extranonce2))
    }

    /// Throws unless `extranonce1` has 4 bytes and `extranonce2` 8.
    public static func checkExtranonces(_ extranonce1: [UInt8], _ extranonce2: [UInt8]) throws(CoinbaseError) {
        guard extranonce1.count == extranonce1Size else {
            throw .extranonceSize(expected: extranonce1Size, actual: extranonce1.count)
        }
        guard extranonce2.count == extranonce2Size else {
            throw .extranonceSize(expected: extranonce2Size, actual: extranonce2.count)
        }
    }
}
