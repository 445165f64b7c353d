import Crypto

/// Bitcoin's double SHA-256, `SHA256(SHA256(data))`.
public enum SHA256d {
    /// Hashes a byte array.
    public static func hash(_ data: [UInt8]) -> Hash256 {
        data.withUnsafeBytes { hash(bufferPointer: $0) }
    }

    /// Hashes raw bytes without copying them.
    public static func hash(bufferPointer: UnsafeRawBufferPointer) -> Hash256 {
        var first = SHA256()
        first.update(bufferPointer: bufferPointer)
        return finish(first)
    }

    /// Hashes the concatenation of two 32-byte hashes (one merkle tree node).
    public static func hash(_ left: Hash256, _ right: Hash256) -> Hash256 {
        var words = (left.a, left.b, left.c, left.d, right.a, right.b, right.c, right.d)
        #if _endian(big)
        #error("Hash256 word layout assumes a little-endian host")
        #endif
        var first = SHA256()
        withUnsafeBytes(of: &words) { first.update(bufferPointer: $0) }
        return finish(first)
    }

    @inline(__always)
    private static func finish(_ first: consuming SHA256) -> Hash256 {
        let inner = first.finalize()
        var second = SHA256()
        inner.withUnsafeBytes { second.update(bufferPointer: $0) }
        let digest = second.finalize()
        return digest.withUnsafeBytes { raw in
            Hash256(a: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian,
                    b: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian,
                    c: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian,
                    d: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian)
        }
    }
}

/// Single SHA-256, for BIP340-style tagged hashes and checksums.
public enum SingleSHA256 {
    /// SHA-256 of contiguous bytes, as 32 bytes.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        var h = SHA256()
        data.withUnsafeBytes { h.update(bufferPointer: $0) }
        return Array(h.finalize())
    }
}
