/// A full block: header and transactions (Bitcoin Core `CBlock`).
public struct Block: Sendable, Hashable {
    /// The header.
    public var header: BlockHeader
    /// The transactions; the first is the coinbase.
    public var transactions: [Transaction]

    /// Creates a block.
    public init(header: BlockHeader, transactions: [Transaction]) {
        self.header = header
        self.transactions = transactions
    }

    /// The header hash.
    public var hash: BlockHash { header.hash }

    /// The merkle root of the transactions' txids and whether the tree is mutated
    /// (duplicate adjacent hashes, CVE-2012-2459).
    public var computedMerkleRoot: (root: MerkleRoot, mutated: Bool) {
        let r = Merkle.rootDetectingMutation(of: transactions.map(\.txid.rawHash))
        return (MerkleRoot(rawHash: r.root), r.mutated)
    }

    /// The BIP141 commitment computed from the transactions' wtxids and the coinbase's
    /// witness reserved value (its single 32-byte witness item, else zero).
    public var computedWitnessCommitment: Hash256 {
        let root = WitnessCommitment.witnessMerkleRoot(blockWtxids: transactions.map(\.wtxid))
        var reserved = WitnessCommitment.defaultReservedValue
        if let coinbase = transactions.first, coinbase.inputs.count == 1,
           coinbase.inputs[0].witness.count == 1, let value = Hash256(bytes: coinbase.inputs[0].witness[0]) {
            reserved = value
        }
        return WitnessCommitment.commitment(witnessRoot: root, reservedValue: reserved)
    }

    /// The witness commitment the coinbase carries, if any.
    public var witnessCommitment: Hash256? {
        transactions.first.flatMap(WitnessCommitment.commitment(inCoinbase:))
    }
}

extension Block: ConsensusCodable {
    /// Writes the header, the transaction count and each transaction (with witnesses).
    public func encode(to writer: inout ByteWriter) {
        header.encode(to: &writer)
        writer.writeCompactSize(UInt64(transactions.count))
        for tx in transactions { tx.encode(to: &writer) }
    }

    /// Reads a block; the transaction count is bounded by the bytes left.
    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        header = try BlockHeader(from: &reader)
        let count = try reader.readCount(minElementSize: Transaction.minimumSerializedSize)
        var txs: [Transaction] = []
        txs.reserveCapacity(count)
        for _ in 0..<count { txs.append(try Transaction(from: &reader)) }
        transactions = txs
    }
}
