import BitcoinPrimitives
import Ed25519
import Sharechain
import TIDES

/// Test parameters: trivially easy targets so shares are mined in microseconds.
func peerTestParameters(privateNetwork: PrivateNetwork = PrivateNetwork()) -> SharechainParameters {
    SharechainParameters(
        network: .devnet, shareInterval: 10, retargetHalfLife: 600,
        maximumShareTarget: CompactTarget(rawValue: 0x207f_ffff),
        genesisShareTarget: CompactTarget(rawValue: 0x207f_ffff),
        tides: TidesParameters(windowMultiplier: 8, dustLimit: Amount(satoshis: 546 as Int64)!, payoutBudgetBytes: 500),
        privateNetwork: privateNetwork)
}

/// P2WPKH scripts, distinct per n.
func payoutScript(_ n: UInt8) -> Script { Script([0x00, 0x14] + [UInt8](repeating: n, count: 20)) }

/// Mints valid shares on top of a chain as a node's Stratum side would (TIDES
/// split at the parent, coinbase, merkle root, nonce grinding), or broken ones.
struct ShareMinter {
    var key = SigningKey(rawRepresentation: [UInt8](repeating: 7, count: 32))!
    var bitcoinBits = CompactTarget(rawValue: 0x2000_ffff)
    var reward = Amount(satoshis: 312_500_000 as Int64)!
    var branch: [Hash256] = [SHA256d.hash([1]), SHA256d.hash([2])]

    func mint(on chain: inout Sharechain, parent: ShareHash?, timestamp: UInt64, script: Script,
              corruptSignature: Bool = false) -> WireShare {
        let bits = CompactTarget(rawValue: 0x207f_ffff)
        let height = parent.flatMap { chain.index[$0] }.map { $0.height + 1 } ?? 0
        let header = ShareHeader(consensusID: chain.consensusID, previousShare: parent ?? .none, height: height,
                                 bits: bits, timestamp: timestamp, payoutScript: script, nodeKey: key.publicKey)
        let split = try! chain.split(parent: parent, payoutScript: script, bits: bits,
                                     networkTarget: try! bitcoinBits.target(), reward: reward)
        let scriptSig = Script(Script.coinbaseHeight(Int(900_000 + height)).bytes + Array("/tidepool/".utf8)
            + [UInt8](repeating: 0, count: 12))
        let signature = corruptSignature ? key.sign([0]) : key.sign(header.signingMessage)
        let coinbase = try! CoinbaseBuilder.transaction(scriptSig: scriptSig, coinbaseValue: reward, payouts: split.outputs,
                                                        shareHash: header.hash, witnessCommitment: Script())
        var block = BlockHeader(version: 0x2000_0000, prevBlock: BlockHash(rawHash: SHA256d.hash([9])),
                                merkleRoot: Merkle.root(coinbaseTxid: coinbase.txid, branch: branch),
                                time: UInt32(truncatingIfNeeded: timestamp), bits: bitcoinBits, nonce: 0)
        let target = try! bits.target()
        while !Work.meets(block.hash.rawHash, target: target) { block.nonce &+= 1 }
        return WireShare(header: header, signature: signature, bitcoinHeader: block, coinbaseScriptSig: scriptSig,
                         coinbaseValue: reward, witnessCommitment: Script(), merkleBranch: branch)
    }

    /// A share on the chain's best tip, 10 s after it.
    func next(on chain: inout Sharechain, script: Script, corruptSignature: Bool = false) -> WireShare {
        let parent = chain.best
        let timestamp = parent.map { $0.summary.timestamp + 10 } ?? 1_700_000_000
        return mint(on: &chain, parent: parent?.hash, timestamp: timestamp, script: script,
                    corruptSignature: corruptSignature)
    }
}
