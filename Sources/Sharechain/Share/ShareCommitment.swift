import BitcoinPrimitives

/// The coinbase output that ties a Bitcoin block header to a share header:
/// `OP_RETURN PUSH36 "TDPL" <share hash, 32 bytes internal order>` (38-byte
/// script, 47-byte output). Value is always zero.
public enum ShareCommitment {
    /// The four tag bytes, ASCII "TDPL".
    public static let tag: [UInt8] = [0x54, 0x44, 0x50, 0x4c]

    /// The commitment script for a share.
    public static func script(for share: ShareHash) -> Script {
        Script([0x6a, 0x24] + tag + share.rawHash.bytes)
    }

    /// The share hash a script commits to, or nil when it is not a commitment.
    public static func shareHash(in script: Script) -> ShareHash? {
        let b = script.bytes
        guard b.count == 38, b[0] == 0x6a, b[1] == 0x24, Array(b[2..<6]) == tag,
              let h = Hash256(bytes: b[6...]) else { return nil }
        return ShareHash(rawHash: h)
    }
}
