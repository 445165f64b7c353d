import BitcoinPrimitives
import TIDES

/// Builds Tidepool coinbase transactions (layout: see `CoinbaseTemplate`), both for
/// new jobs and when a peer's share is checked: a `WireShare` carries the
/// scriptSig, the value and the witness commitment, and every node derives the
/// payouts itself, so it rebuilds the coinbase and compares merkle roots.
public enum CoinbaseBuilder {
    /// The coinbase transaction version.
    public static let version: Int32 = 1

    /// The coinbase for an exact scriptSig: version 1, one input spending
    /// `OutPoint.null` with sequence 0xffffffff, lock time 0; outputs are the payouts,
    /// the share commitment, then the witness commitment when not empty. No witness:
    /// `BlockAssembler` adds the reserved value for a full block.
    public static func transaction(scriptSig: Script, coinbaseValue: Amount, payouts: [PayoutEntry],
                                   shareHash: ShareHash, witnessCommitment: Script) throws(CoinbaseError) -> Transaction {
        let size = scriptSig.bytes.count
        if size < WireShare.scriptSigSizeRange.lowerBound { throw .scriptSigTooShort(size: size) }
        if size > WireShare.scriptSigSizeRange.upperBound { throw .scriptSigTooLong(size: size) }
        try checkPayouts(payouts, value: coinbaseValue)
        try checkWitnessCommitment(witnessCommitment)
        var outputs: [TxOut] = []
        outputs.reserveCapacity(payouts.count + 2)
        for p in payouts { outputs.append(TxOut(value: p.amount, scriptPubKey: p.script)) }
        outputs.append(TxOut(value: .zero, scriptPubKey: ShareCommitment.script(for: shareHash)))
        if !witnessCommitment.bytes.isEmpty {
            outputs.append(TxOut(value: .zero, scriptPubKey: witnessCommitment))
        }
        let input = TxIn(previousOutput: .null, scriptSig: scriptSig, sequence: TxIn.finalSequence)
        return Transaction(version: version, inputs: [input], outputs: outputs, lockTime: 0)
    }

    /// Rebuilds the coinbase of a share from its scriptSig, coinbase value, witness
    /// commitment and hash, with the payouts the checking node derived itself.
    /// `shareHash` may be passed when the caller already computed `share.hash`.
    public static func coinbase(for share: WireShare, payouts: [PayoutEntry],
                                shareHash: ShareHash? = nil) throws(CoinbaseError) -> Transaction {
        try transaction(scriptSig: share.coinbaseScriptSig, coinbaseValue: share.coinbaseValue,
                        payouts: payouts, shareHash: shareHash ?? share.hash, witnessCommitment: share.witnessCommitment)
    }

    /// The merkle root the share's Bitcoin header must carry if `payouts` are the
    /// right ones: the rebuilt coinbase's txid up the share's merkle branch. Compare
    /// it with `share.bitcoinHeader.merkleRoot`.
    public static func merkleRoot(for share: WireShare, payouts: [PayoutEntry],
                                  shareHash: ShareHash? = nil) throws(CoinbaseError) -> MerkleRoot {
        Merkle.root(coinbaseTxid: try coinbase(for: share, payouts: payouts, shareHash: shareHash).txid,
                    branch: share.merkleBranch)
    }

    /// The BIP34 height at the start of a coinbase scriptSig, or nil when it does not
    /// start with one in Bitcoin Core's form.
    public static func bitcoinHeight(ofScriptSig scriptSig: Script) -> Int? {
        scriptSig.coinbaseHeight
    }

    static func checkPayouts(_ payouts: [PayoutEntry], value: Amount) throws(CoinbaseError) {
        let sum = Amount.sum(payouts.lazy.map(\.amount))
        guard sum == value else { throw .payoutsDoNotSumToValue(sum: sum, value: value) }
    }

    static func checkWitnessCommitment(_ script: Script) throws(CoinbaseError) {
        guard script.bytes.isEmpty
            || (script.bytes.count == 38 && WitnessCommitment.commitment(in: script) != nil)
        else { throw .invalidWitnessCommitment }
    }
}

extension WireShare {
    /// The Bitcoin block height in the coinbase scriptSig (BIP34), if well-formed.
    public var bitcoinHeight: Int? { coinbaseScriptSig.coinbaseHeight }
}
