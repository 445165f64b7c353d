import BitcoinPrimitives
import TIDES

/// Everything a node's coinbase depends on except the extranonces: one job's
/// coinbase, shared by every miner of the node that pays to the same address
/// (only extranonce1 differs; see Docs/PROTOCOL.md, "One coinbase per payout address").
///
/// The coinbase (Docs/PROTOCOL.md, §2–§6):
/// - version 1, one input spending the null outpoint (zero txid, index 0xffffffff),
///   sequence 0xffffffff, lock time 0;
/// - scriptSig = BIP34 height push (`Script.coinbaseHeight`, so heights 1–16 are
///   `OP_1`…`OP_16`) ‖ node tag (raw, 0–20 bytes) ‖ extranonce1 (4 bytes) ‖
///   extranonce2 (8 bytes), 2…100 bytes in total;
/// - outputs in TIDES step-7 order: the payouts (summing to the coinbase value `V`),
///   the share commitment (value 0, `ShareCommitment.script(for:)`), then the
///   witness commitment (value 0, getblocktemplate's `default_witness_commitment`)
///   when the template has one.
///
/// The values are checked once, here; a template that exists is buildable.
public struct CoinbaseTemplate: Sendable, Hashable {
    /// The height of the Bitcoin block being mined (BIP34).
    public let bitcoinHeight: Int
    /// The coinbase value `V`: subsidy plus the template's fees.
    public let coinbaseValue: Amount
    /// The BIP141 witness commitment script; empty when the template has none.
    public let witnessCommitment: Script
    /// Raw bytes after the height push, e.g. `"/tidepool/"`; at most 20 bytes.
    public let nodeTag: [UInt8]
    /// The TIDES payout outputs, in coinbase order.
    public let payouts: [PayoutEntry]
    /// The share the coinbase commits to.
    public let shareHash: ShareHash

    /// Longest node tag, in bytes.
    public static let maxNodeTagSize = CoinbaseLayout.maxNodeTagSize

    /// Checks and stores the inputs: a non-negative height, a tag of at most 20 bytes,
    /// payouts summing exactly to `coinbaseValue`, and an empty or well-formed
    /// 38-byte witness commitment.
    public init(bitcoinHeight: Int, coinbaseValue: Amount, witnessCommitment: Script, nodeTag: [UInt8],
                payouts: [PayoutEntry], shareHash: ShareHash) throws(CoinbaseError) {
        guard bitcoinHeight >= 0 else { throw .negativeHeight(bitcoinHeight) }
        guard nodeTag.count <= Self.maxNodeTagSize else { throw .nodeTagTooLong(size: nodeTag.count) }
        try CoinbaseBuilder.checkPayouts(payouts, value: coinbaseValue)
        try CoinbaseBuilder.checkWitnessCommitment(witnessCommitment)
        self.bitcoinHeight = bitcoinHeight
        self.coinbaseValue = coinbaseValue
        self.witnessCommitment = witnessCommitment
        self.nodeTag = nodeTag
        self.payouts = payouts
        self.shareHash = shareHash
    }

    /// The scriptSig before the extranonces: the BIP34 height push followed by the tag.
    public var scriptSigPrefix: Script {
        var s = Script.coinbaseHeight(bitcoinHeight)
        s.bytes.append(contentsOf: nodeTag)
        return s
    }

    /// The full scriptSig for the given extranonces (4 and 8 bytes).
    public func scriptSig(extranonce1: [UInt8], extranonce2: [UInt8]) throws(CoinbaseError) -> Script {
        try StratumCoinbase.checkExtranonces(extranonce1, extranonce2)
        return Script(scriptSigPrefix.bytes + extranonce1 + extranonce2)
    }

    /// The coinbase transaction (without witness; see `BlockAssembler`) for the given
    /// extranonces.
    public func transaction(extranonce1: [UInt8], extranonce2: [UInt8]) throws(CoinbaseError) -> Transaction {
        try CoinbaseBuilder.transaction(
            scriptSig: scriptSig(extranonce1: extranonce1, extranonce2: extranonce2),
            coinbaseValue: coinbaseValue, payouts: payouts, shareHash: shareHash,
            witnessCommitment: witnessCommitment)
    }

    /// coinb1 and coinb2 for `mining.notify`.
    public var stratumCoinbase: StratumCoinbase {
        // Cannot fail: the template was checked, and the placeholder extranonces have
        // the right sizes, so the scriptSig is 13…41 bytes.
        let zeros1 = [UInt8](repeating: 0, count: StratumCoinbase.extranonce1Size)
        let zeros2 = [UInt8](repeating: 0, count: StratumCoinbase.extranonce2Size)
        let tx = try! transaction(extranonce1: zeros1, extranonce2: zeros2)
        return StratumCoinbase(transaction: tx, scriptSigPrefixSize: scriptSigPrefix.bytes.count)
    }
}
