import BitcoinPrimitives
import Ed25519
import Sharechain
import TIDES

/// A fixed node key: seed 32 × 0x01.
let fixedNodeKey = SigningKey(rawRepresentation: [UInt8](repeating: 0x01, count: 32))!

/// A share header with fixed fields, published by `key`.
func sampleShareHeader(key: SigningKey = fixedNodeKey, payoutScript: Script = wpkh(0xab),
                       height: UInt32 = 7) -> ShareHeader {
    ShareHeader(consensusID: ConsensusID(rawHash: filledHash(0x11)), previousShare: ShareHash(rawHash: filledHash(0x22)),
                height: height, bits: CompactTarget(rawValue: 0x1d00_ffff), timestamp: 1_700_000_000,
                payoutScript: payoutScript, nodeKey: key.publicKey)
}

/// A signed wire share whose fields are all given; the header's merkle root is `merkleRoot`.
func sampleWireShare(header: ShareHeader, key: SigningKey = fixedNodeKey, merkleRoot: MerkleRoot,
                     scriptSig: Script, value: Amount, witnessCommitment: Script,
                     branch: [Hash256]) -> WireShare {
    let bitcoinHeader = BlockHeader(version: 0x2000_0000, prevBlock: BlockHash(rawHash: filledHash(0x44)),
                                    merkleRoot: merkleRoot, time: 1_700_000_100,
                                    bits: CompactTarget(rawValue: 0x1703_4219), nonce: 12345)
    return WireShare(header: header, signature: key.sign(header.signingMessage), bitcoinHeader: bitcoinHeader,
                     coinbaseScriptSig: scriptSig, coinbaseValue: value, witnessCommitment: witnessCommitment,
                     merkleBranch: branch)
}

/// A well-formed BIP141 commitment script with an arbitrary commitment.
let sampleWitnessCommitment = WitnessCommitment.outputScript(commitment: filledHash(0x5a))

/// Every proper prefix of `bytes` must fail to decode as `T`, with an error, not a crash.
func everyTruncationFails<T: ConsensusDecodable>(_ bytes: [UInt8], as type: T.Type) -> [Int] {
    var decodedAt: [Int] = []
    for n in 0..<bytes.count {
        if (try? T(serialized: Array(bytes[..<n]))) != nil { decodedAt.append(n) }
    }
    return decodedAt
}
