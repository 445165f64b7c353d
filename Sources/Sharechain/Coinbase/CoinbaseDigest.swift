import BitcoinPrimitives
import TIDES

/// What validating a share needs of its rebuilt coinbase: the txid (up the merkle branch it
/// must give the Bitcoin header's merkle root) and the Stratum halves (the size class check).
public struct CoinbaseDigest: Sendable, Equatable {
    /// The rebuilt coinbase's txid.
    public var txid: Txid
    /// Its sizes before extranonce1 and after extranonce2.
    public var halves: CoinbaseLayout.Halves
}

extension CoinbaseBuilder {
    /// The txid and halves of the coinbase `coinbase(for:payouts:shareHash:)` builds for `share`
    /// with `split.outputs`, serialized straight into one buffer of the exact size: no
    /// `Transaction`, no output array, no commitment script. The same checks run (scriptSig
    /// size, payouts summing to the coinbase value, witness commitment form) and the bytes are
    /// the same (tests compare them with the `Transaction` path).
    public static func digest(for share: WireShare, split: TidesSplit,
                              shareHash: ShareHash) throws(CoinbaseError) -> CoinbaseDigest {
        let scriptSig = share.coinbaseScriptSig.bytes
        let size = scriptSig.count
        if size < WireShare.scriptSigSizeRange.lowerBound { throw .scriptSigTooShort(size: size) }
        if size > WireShare.scriptSigSizeRange.upperBound { throw .scriptSigTooLong(size: size) }
        try checkWitnessCommitment(share.witnessCommitment)
        let witness = share.witnessCommitment.bytes
        var sum: Int64 = 0  // payouts of one split of a valid amount: no overflow
        var payoutBytes = 0
        split.forEachOutput { script, amount in
            sum += amount.satoshis
            payoutBytes += Tides.outputSize(script)
        }
        guard sum == share.coinbaseValue.satoshis else {
            throw .payoutsDoNotSumToValue(sum: Amount(satoshis: sum) ?? .zero, value: share.coinbaseValue)
        }
        let outputCount = split.outputCount + 1 + (witness.isEmpty ? 0 : 1)
        let outputBytes = payoutBytes + Tides.outputSize(scriptLength: ShareCommitment.scriptSize)
            + (witness.isEmpty ? 0 : Tides.outputSize(scriptLength: witness.count))
        let inputBytes = OutPoint.serializedSize + compactSizeLength(UInt64(size)) + size + 4
        let coinb2 = 4 + compactSizeLength(UInt64(outputCount)) + outputBytes + 4
        let whole = 4 + 1 + inputBytes + coinb2 - 4
        var w = ByteWriter(capacity: whole)
        w.writeLittleEndian(version)
        w.writeCompactSize(1)
        w.write(Hash256.zero)
        w.writeLittleEndian(UInt32.max)
        w.writeVarBytes(scriptSig)
        w.writeLittleEndian(TxIn.finalSequence)
        w.writeCompactSize(UInt64(outputCount))
        split.forEachOutput { script, amount in
            w.writeLittleEndian(amount.satoshis)
            w.writeVarBytes(script.bytes)
        }
        // The share commitment, value 0.
        w.writeLittleEndian(Int64(0))
        w.writeCompactSize(UInt64(ShareCommitment.scriptSize))
        ShareCommitment.write(for: shareHash, into: &w)
        if !witness.isEmpty {
            w.writeLittleEndian(Int64(0))
            w.writeVarBytes(witness)
        }
        w.writeLittleEndian(UInt32(0))  // lock time
        assert(w.bytes.count == whole, "coinbase size computed \(whole), wrote \(w.bytes.count)")
        let halves = CoinbaseLayout.Halves(
            coinb1: whole - coinb2 - CoinbaseLayout.extranonceSize, coinb2: coinb2)
        return CoinbaseDigest(txid: Txid(rawHash: SHA256d.hash(w.bytes)), halves: halves)
    }
}
