/// Why consensus bytes could not be decoded. Every failure says where.
public enum ConsensusDecodingError: Error, Equatable, Sendable {
    /// The input ended: `needed` more bytes were required at `offset`.
    case truncated(offset: Int, needed: Int)
    /// A CompactSize used a longer form than its value needs.
    case nonCanonicalCompactSize(offset: Int)
    /// A length or count prefix exceeds the limit for that field.
    case lengthExceedsLimit(offset: Int, length: UInt64, limit: Int)
    /// Bytes were left over after a complete value.
    case trailingBytes(count: Int)
    /// The bytes are well-formed but describe an invalid value.
    case invalidValue(offset: Int, reason: String)
}

/// Reads consensus-encoded values from a byte buffer, never past its end.
///
/// Every length prefix is checked against an explicit limit before anything
/// is allocated, so hostile input cannot make the reader allocate unboundedly.
public struct ByteReader: Sendable {
    @usableFromInline let bytes: [UInt8]
    /// Index of the next byte to read.
    public private(set) var offset: Int

    /// A reader positioned at the start of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }
    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    @inline(__always)
    private func require(_ n: Int) throws(ConsensusDecodingError) {
        if n > remaining { throw .truncated(offset: offset, needed: n - remaining) }
    }

    public mutating func readUInt8() throws(ConsensusDecodingError) -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads a little-endian fixed-width integer.
    public mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type = T.self) throws(ConsensusDecodingError) -> T {
        let size = MemoryLayout<T>.size
        try require(size)
        var v: T = 0
        for i in 0..<size { v |= T(truncatingIfNeeded: bytes[offset + i]) << (8 * i) }
        offset += size
        return v
    }

    /// Reads a big-endian fixed-width integer.
    public mutating func readBigEndian<T: FixedWidthInteger>(_: T.Type = T.self) throws(ConsensusDecodingError) -> T {
        let size = MemoryLayout<T>.size
        try require(size)
        var v: T = 0
        for i in 0..<size { v = v << 8 | T(truncatingIfNeeded: bytes[offset + i]) }
        offset += size
        return v
    }

    /// Reads exactly `count` raw bytes.
    public mutating func readBytes(_ count: Int) throws(ConsensusDecodingError) -> [UInt8] {
        precondition(count >= 0)
        try require(count)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Reads 32 bytes as a hash in internal byte order.
    public mutating func readHash256() throws(ConsensusDecodingError) -> Hash256 {
        try require(32)
        let h = Hash256(a: try readLittleEndian(), b: try readLittleEndian(),
                        c: try readLittleEndian(), d: try readLittleEndian())
        return h
    }

    /// Reads a canonical CompactSize no larger than `limit`.
    public mutating func readCompactSize(limit: Int) throws(ConsensusDecodingError) -> Int {
        let start = offset
        let first = try readUInt8()
        let value: UInt64
        switch first {
        case 0xfd:
            value = UInt64(try readLittleEndian(UInt16.self))
            if value < 0xfd { throw .nonCanonicalCompactSize(offset: start) }
        case 0xfe:
            value = UInt64(try readLittleEndian(UInt32.self))
            if value <= 0xffff { throw .nonCanonicalCompactSize(offset: start) }
        case 0xff:
            value = try readLittleEndian(UInt64.self)
            if value <= 0xffff_ffff { throw .nonCanonicalCompactSize(offset: start) }
        default:
            value = UInt64(first)
        }
        if value > UInt64(limit) { throw .lengthExceedsLimit(offset: start, length: value, limit: limit) }
        return Int(value)
    }

    /// Reads a CompactSize length (at most `maxLength`) and that many bytes.
    public mutating func readVarBytes(maxLength: Int) throws(ConsensusDecodingError) -> [UInt8] {
        let start = offset
        let n = try readCompactSize(limit: maxLength)
        do { return try readBytes(n) } catch { throw .truncated(offset: start, needed: n - remaining) }
    }

    /// Reads any consensus-decodable value.
    public mutating func read<T: ConsensusDecodable>(_: T.Type = T.self) throws(ConsensusDecodingError) -> T {
        try T(from: &self)
    }
}
