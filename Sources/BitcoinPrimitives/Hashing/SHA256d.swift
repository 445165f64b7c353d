import CSHA256

/// Bitcoin's double SHA-256, `SHA256(SHA256(data))`.
///
/// Runs on `CSHA256`: no allocation per hash (the state is on the stack) and the x86 SHA
/// extensions when the processor has them. Every share validation hashes the coinbase,
/// a merkle branch and two headers, so the per-hash cost matters (Docs/BENCHMARKS.md).
public enum SHA256d {
    /// Hashes a byte array.
    public static func hash(_ data: [UInt8]) -> Hash256 {
        data.withUnsafeBytes { hash(bufferPointer: $0) }
    }

    /// Hashes raw bytes without copying them.
    public static func hash(bufferPointer: UnsafeRawBufferPointer) -> Hash256 {
        digest { out in
            csha256d_hash(bufferPointer.baseAddress?.assumingMemoryBound(to: UInt8.self), bufferPointer.count,
                          out, CSHA256_AUTOMATIC)
        }
    }

    /// Hashes a 32-byte hash's bytes (internal order), e.g. the TIDES lottery seed.
    public static func hash(_ value: Hash256) -> Hash256 {
        value.withUnsafeBytes { hash(bufferPointer: $0) }
    }

    /// Hashes the concatenation of two 32-byte hashes (one merkle tree node).
    public static func hash(_ left: Hash256, _ right: Hash256) -> Hash256 {
        #if _endian(big)
        #error("Hash256 word layout assumes a little-endian host")
        #endif
        var words = (left.a, left.b, left.c, left.d, right.a, right.b, right.c, right.d)
        return withUnsafeBytes(of: &words) { raw in
            digest { out in csha256d_64(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), out, CSHA256_AUTOMATIC) }
        }
    }

    /// Runs `body` with a 32-byte output buffer and reads it as a `Hash256` (internal byte order).
    @inline(__always)
    private static func digest(_ body: (UnsafeMutablePointer<UInt8>) -> Void) -> Hash256 {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { body($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        return Hash256(a: words.0.littleEndian, b: words.1.littleEndian, c: words.2.littleEndian, d: words.3.littleEndian)
    }
}

/// Single SHA-256, for BIP340-style tagged hashes and checksums.
public enum SingleSHA256 {
    /// SHA-256 of contiguous bytes, as 32 bytes.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            data.withUnsafeBytes { raw in
                csha256_hash(raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count,
                             buffer.baseAddress!, CSHA256_AUTOMATIC)
            }
            count = 32
        }
    }
}
