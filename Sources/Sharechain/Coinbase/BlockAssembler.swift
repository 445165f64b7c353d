import BitcoinPrimitives

/// Why a found block could not be assembled.
public enum BlockAssemblyError: Error, Equatable, Sendable {
    /// The first transaction is not a coinbase (one input spending the null outpoint).
    case notACoinbase
    /// The transactions' merkle root differs from the header's.
    case merkleRootMismatch(header: MerkleRoot, computed: MerkleRoot)
    /// The merkle tree has duplicate adjacent hashes (CVE-2012-2459).
    case mutatedMerkleTree
    /// The coinbase's witness commitment differs from the one the transactions give.
    case witnessCommitmentMismatch(coinbase: Hash256, computed: Hash256)
    /// A transaction has witness data but the coinbase has no witness commitment.
    case unexpectedWitness
}

/// Assembles a found block for `submitblock` (and for relaying to peers).
public enum BlockAssembler {
    /// The coinbase as it goes into a block: when it has a witness commitment output
    /// and no witness yet, its input gets the BIP141 witness reserved value, a single
    /// item of 32 zero bytes. The txid is unchanged (it never covers the witness).
    public static func blockCoinbase(_ coinbase: Transaction) -> Transaction {
        guard WitnessCommitment.commitment(inCoinbase: coinbase) != nil,
              coinbase.inputs.count == 1, coinbase.inputs[0].witness.isEmpty else { return coinbase }
        var tx = coinbase
        tx.inputs[0].witness = [WitnessCommitment.defaultReservedValue.bytes]
        return tx
    }

    /// The block: `header`, then the coinbase (with the witness reserved value when
    /// needed), then the template's other transactions in order. Checks that the
    /// merkle root matches the header's, that the tree is not mutated, and that a
    /// witness commitment, when present, matches the transactions.
    public static func block(header: BlockHeader, coinbase: Transaction,
                             transactions: [Transaction]) throws(BlockAssemblyError) -> Block {
        guard coinbase.isCoinbase else { throw .notACoinbase }
        let block = Block(header: header, transactions: [blockCoinbase(coinbase)] + transactions)
        let (root, mutated) = block.computedMerkleRoot
        guard root == header.merkleRoot else { throw .merkleRootMismatch(header: header.merkleRoot, computed: root) }
        guard !mutated else { throw .mutatedMerkleTree }
        if let committed = block.witnessCommitment {
            let computed = block.computedWitnessCommitment
            guard committed == computed else { throw .witnessCommitmentMismatch(coinbase: committed, computed: computed) }
        } else if block.transactions.contains(where: \.hasWitness) {
            throw .unexpectedWitness
        }
        return block
    }

    /// The serialized block (with witnesses) for `submitblock`; see `block(header:coinbase:transactions:)`.
    public static func serializedBlock(header: BlockHeader, coinbase: Transaction,
                                       transactions: [Transaction]) throws(BlockAssemblyError) -> [UInt8] {
        try block(header: header, coinbase: coinbase, transactions: transactions).serialized
    }
}
