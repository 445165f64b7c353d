import BitcoinPrimitives
import Ed25519
import Sharechain

/// Deterministic, realistic-sized (about 740-byte) wire shares for store tests, the
/// crash writer and the store benchmarks. A share depends only on its height and parent,
/// so a chain can be regenerated, or continued from any stored tip. The store does not
/// validate shares, and neither does this generator make valid proof of work.
public struct SyntheticChain: Sendable {
    /// The signing key (from a fixed seed).
    public let key: SigningKey
    /// Whether shares carry a real Ed25519 signature (slower) or fixed filler bytes.
    public let signs: Bool
    private let consensusID: ConsensusID

    /// A generator whose key is derived from `seed`.
    public init(seed: UInt8 = 7, signs: Bool = true) {
        key = SigningKey(rawRepresentation: [UInt8](repeating: seed, count: 32))!
        self.signs = signs
        consensusID = ConsensusID(rawHash: SHA256d.hash(Array("tidepool synthetic chain".utf8) + [seed]))
    }

    /// The share at `height` whose parent is `parent`.
    public func share(height: UInt32, parent: ShareHash) -> WireShare {
        let h = [UInt8(truncatingIfNeeded: height), UInt8(truncatingIfNeeded: height >> 8),
                 UInt8(truncatingIfNeeded: height >> 16), UInt8(truncatingIfNeeded: height >> 24)]
        let base = SHA256d.hash(h + parent.rawHash.bytes)
        let baseBytes = base.bytes
        let header = ShareHeader(
            consensusID: consensusID, previousShare: parent, height: height,
            bits: CompactTarget(rawValue: 0x1d00_ffff), timestamp: 1_700_000_000 + UInt64(height) * 30,
            payoutScript: Script([0x00, 0x14] + [UInt8](repeating: UInt8(height % 16), count: 20)),
            nodeKey: key.publicKey)
        let signature = signs ? key.sign(header.signingMessage)
            : Signature(rawRepresentation: baseBytes + baseBytes)!
        let bitcoinHeader = BlockHeader(
            version: 0x2000_0000, prevBlock: BlockHash(rawHash: .zero), merkleRoot: MerkleRoot(rawHash: base),
            time: 1_700_000_000 + height * 30, bits: CompactTarget(rawValue: 0x1703_a30c), nonce: height)
        let branch = (0..<12).map { i in
            var bytes = baseBytes
            bytes[0] ^= UInt8(i + 1)
            return Hash256(bytes: bytes)!
        }
        return WireShare(
            header: header, signature: signature, bitcoinHeader: bitcoinHeader,
            coinbaseScriptSig: Script([0x03] + Array(h.prefix(3)) + [UInt8](repeating: 0x5a, count: 16)),
            coinbaseValue: Amount(satoshis: Int64(312_500_000))!,
            witnessCommitment: Script([0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed] + baseBytes),
            merkleBranch: branch)
    }

    /// `count` shares continuing a chain after `parent` at `parentHeight` (nil: from the first share).
    public func shares(count: Int, after parent: (hash: ShareHash, height: UInt32)? = nil) -> [WireShare] {
        var result: [WireShare] = []
        result.reserveCapacity(count)
        var previous = parent?.hash ?? .none
        var height = parent.map { $0.height + 1 } ?? 0
        for _ in 0..<count {
            let next = share(height: height, parent: previous)
            result.append(next)
            previous = next.hash
            height += 1
        }
        return result
    }

    /// The summary the tests and tools store with `share` (sequence = height).
    public static func summary(_ share: WireShare) -> ShareSummary {
        ShareSummary(share, sequence: UInt64(share.header.height))
    }
}
