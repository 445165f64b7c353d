import BitcoinPrimitives
import StratumProtocol

/// One `mining.notify` job, decoded: the wire message StratumProtocol encodes on the
/// server side (`MiningNotify`), under the client's name.
public typealias PoolJob = MiningNotify

extension MiningNotify {
    /// The coinbase transaction's non-witness bytes: `coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2`.
    public func coinbase(extranonce1: [UInt8], extranonce2: [UInt8]) -> [UInt8] {
        coinb1 + extranonce1 + extranonce2 + coinb2
    }

    /// The merkle root for the given extranonces: the coinbase txid hashed up the branch.
    public func merkleRoot(extranonce1: [UInt8], extranonce2: [UInt8]) -> MerkleRoot {
        let txid = Txid(rawHash: SHA256d.hash(coinbase(extranonce1: extranonce1, extranonce2: extranonce2)))
        return Merkle.root(coinbaseTxid: txid, branch: merkleBranch)
    }

    /// The 80-byte header for the given extranonces and nonce (time as the pool sent it).
    public func header(extranonce1: [UInt8], extranonce2: [UInt8], nonce: UInt32) -> BlockHeader {
        BlockHeader(version: Int32(bitPattern: version), prevBlock: previousBlock,
                    merkleRoot: merkleRoot(extranonce1: extranonce1, extranonce2: extranonce2),
                    time: time, bits: bits, nonce: nonce)
    }
}
