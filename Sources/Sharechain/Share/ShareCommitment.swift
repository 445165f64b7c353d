import BitcoinPrimitives

/// The coinbase output that ties a Bitcoin block header to a share header:
/// `OP_RETURN PUSH36 "TDPL" <share hash, 32 bytes internal order>` (38-byte
/// script, 47-byte output). Value is always zero.
public enum ShareCommitment {
    /// The four tag bytes, ASCII "TDPL".
    public static let tag: [UInt8] = [0x54, 0x44, 0x50, 0x4c]

    /// Length of the commitment script, in bytes.
    public static let scriptSize = 38

    /// The commitment script for a share.
    public static func script(for share: ShareHash) -> Script {
        var w = ByteWriter(capacity: scriptSize)
        write(for: share, into: &w)
        return Script(w.bytes)
    }

    /// Writes the commitment script's bytes (no length prefix) for `share`.
    public static func write(for share: ShareHash, into writer: inout ByteWriter) {
        writer.write(0x6a as UInt8)  // OP_RETURN
        writer.write(0x24 as UInt8)  // push 36 bytes
        writer.write(tag)
        writer.write(share.rawHash)
    }

    /// The share hash a script commits to, or nil when it is not a commitment.
    public static func shareHash(in script: Script) -> ShareHash? {
        let b = script.bytes
        guard b.count == scriptSize, b[0] == 0x6a, b[1] == 0x24, Array(b[2..<6]) == tag,
              let h = Hash256(bytes: b[6...]) else { return nil }
        return ShareHash(rawHash: h)
    }
}
