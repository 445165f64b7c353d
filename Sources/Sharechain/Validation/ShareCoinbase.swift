import BitcoinPrimitives
import TIDES

/// Placeholder bridge to the coinbase builder (replaced when it lands).
enum ShareCoinbase {
    static func merkleRoot(for share: WireShare, payouts: [PayoutEntry]) throws -> MerkleRoot {
        var outputs = payouts.map { TxOut(value: $0.amount, scriptPubKey: $0.script) }
        outputs.append(TxOut(value: .zero, scriptPubKey: ShareCommitment.script(for: share.hash)))
        if !share.witnessCommitment.bytes.isEmpty {
            outputs.append(TxOut(value: .zero, scriptPubKey: share.witnessCommitment))
        }
        let tx = Transaction(version: 1, inputs: [TxIn(previousOutput: .null, scriptSig: share.coinbaseScriptSig,
                                                       sequence: 0xffff_ffff)],
                             outputs: outputs, lockTime: 0)
        return Merkle.root(coinbaseTxid: tx.txid, branch: share.merkleBranch)
    }
}
