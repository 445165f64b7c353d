import BitcoinPrimitives
import BitcoinRPC

/// Block validation with bitcoind's reject reasons, in bitcoind's order:
/// `CheckBlock` (context-free), then the header and block checks against the
/// parent, then the coinbase value (`ConnectBlock`).
///
/// Reasons are bitcoind's strings. Devnet-specific: a non-coinbase transaction is
/// `bad-txns-inputs-missingorspent` (the devnet keeps no UTXO set, so nothing can
/// be spent), and lock times are not checked.
extension DevnetChain {
    /// Reasons that mean the block's witness data was mutated (bitcoind's
    /// BLOCK_MUTATED): the header itself is not proven invalid.
    static let mutationReasons: Set<String> = ["bad-witness-nonce-size", "bad-witness-merkle-match", "unexpected-witness"]

    /// Context-free checks (`CheckBlockHeader` + `CheckBlock`); nil when they pass.
    func checkBlock(_ block: Block) -> String? {
        do { try block.header.checkProofOfWork(powLimit: parameters.powLimit) } catch { return "high-hash" }
        let (root, mutated) = block.computedMerkleRoot
        if root != block.header.merkleRoot { return "bad-txnmrklroot" }
        if mutated { return "bad-txns-duplicate" }
        guard let coinbase = block.transactions.first else { return "bad-blk-length" }
        if !coinbase.isCoinbase { return "bad-cb-missing" }
        if block.transactions.dropFirst().contains(where: \.isCoinbase) { return "bad-cb-multiple" }
        if !(2...100).contains(coinbase.inputs[0].scriptSig.bytes.count) { return "bad-cb-length" }
        if coinbase.outputs.isEmpty { return "bad-txns-vout-empty" }
        return nil
    }

    /// Checks against the parent (`ContextualCheckBlockHeader`,
    /// `ContextualCheckBlock`, `ConnectBlock`); nil when they pass.
    func contextualCheck(_ block: Block, parent: Entry, now: UInt32?) -> String? {
        let header = block.header
        let height = parent.height + 1
        if header.bits != nextBits(after: parent) { return "bad-diffbits" }
        if header.time <= medianTimePast(of: parent.hash) { return "time-too-old" }
        if let now, UInt64(header.time) > UInt64(now) + 7200 { return "time-too-new" }
        if header.version < 4 {
            let hex = String(UInt32(bitPattern: header.version), radix: 16)
            return "bad-version(0x\(String(repeating: "0", count: 8 - hex.count))\(hex))"
        }
        let coinbase = block.transactions[0]
        if !coinbase.inputs[0].scriptSig.startsWithCoinbaseHeight(height) { return "bad-cb-height" }
        if let reason = checkWitness(block) { return reason }
        if block.weight > ConsensusLimits.maxBlockWeight { return "bad-blk-weight" }
        if block.transactions.count > 1 { return "bad-txns-inputs-missingorspent" }
        guard let paid = Amount.sum(coinbase.outputs.map(\.value)),
              paid <= parameters.subsidy(height: height) else { return "bad-cb-amount" }
        return nil
    }

    /// BIP141: a commitment needs a 32-byte witness reserved value and must match
    /// the wtxids; without one, no transaction may carry witness data.
    private func checkWitness(_ block: Block) -> String? {
        guard let committed = block.witnessCommitment else {
            return block.transactions.contains(where: \.hasWitness) ? "unexpected-witness" : nil
        }
        let witness = block.transactions[0].inputs[0].witness
        if witness.count != 1 || witness[0].count != 32 { return "bad-witness-nonce-size" }
        if committed != block.computedWitnessCommitment { return "bad-witness-merkle-match" }
        return nil
    }
}

extension Block {
    /// BIP141 block weight: the size without witnesses × 3 + the full size.
    var weight: Int {
        let full = serialized.count
        var stripped = BlockHeader.serializedSize + compactSizeLength(UInt64(transactions.count))
        for tx in transactions { stripped += tx.serialized(includingWitness: false).count }
        return stripped * (ConsensusLimits.witnessScaleFactor - 1) + full
    }
}
