import BitcoinPrimitives
import Ed25519
import PeerProtocol
import Sharechain
import TIDES

func bytes(_ hex: String) -> [UInt8] { Hex.decode(hex)! }
func hash(_ b: UInt8) -> ShareHash { ShareHash(rawHash: Hash256(bytes: [UInt8](repeating: b, count: 32))!) }

let devnetMagic = NetworkMagic(network: .devnet)

/// A structurally valid (not consensus-valid) share for encoding tests.
func sampleShare() -> WireShare {
    let header = ShareHeader(consensusID: ConsensusID(rawHash: hash(0x11).rawHash), previousShare: hash(0x22),
                             height: 5, bits: CompactTarget(rawValue: 0x207f_ffff), timestamp: 1_700_000_000,
                             payoutScript: Script([0x00, 0x14] + [UInt8](repeating: 1, count: 20)),
                             nodeKey: PublicKey(rawRepresentation: [UInt8](repeating: 0x33, count: 32))!)
    let block = BlockHeader(version: 0x2000_0000, prevBlock: BlockHash(rawHash: hash(9).rawHash),
                            merkleRoot: MerkleRoot(rawHash: hash(8).rawHash), time: 1_700_000_000,
                            bits: CompactTarget(rawValue: 0x2000_ffff), nonce: 42)
    return WireShare(header: header, signature: Signature(rawRepresentation: [UInt8](repeating: 0x55, count: 64))!,
                     bitcoinHeader: block, coinbaseScriptSig: Script([0x03, 0x01, 0x02, 0x03]),
                     coinbaseValue: Amount(satoshis: 312_500_000 as Int64)!, witnessCommitment: Script(),
                     merkleBranch: [hash(1).rawHash])
}

func sampleVersion(nodeKey: PublicKey = PublicKey(rawRepresentation: [UInt8](repeating: 0x33, count: 32))!,
                   consensusID: ConsensusID = ConsensusID(rawHash: hash(0x11).rawHash)) -> VersionMessage {
    VersionMessage(consensusID: consensusID, bestTip: hash(0x22), bestHeight: 7, chainWork: UInt256(0x0102),
                   listenPort: 9333, userAgent: "tidepool/0.1", nodeKey: nodeKey,
                   nonce: [UInt8](repeating: 0x44, count: 32))
}
