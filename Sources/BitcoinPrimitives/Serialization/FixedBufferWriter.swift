/// Writes consensus-encoded values into memory the caller has sized exactly (a stack
/// buffer, typically): `ByteWriter`'s encodings without a growing array. Writing past the
/// end traps.
public struct FixedBufferWriter {
    @usableFromInline let raw: UnsafeMutableRawBufferPointer
    @usableFromInline var position = 0

    /// Bytes written so far.
    @inlinable public var offset: Int { position }

    /// A writer at the start of `raw`.
    @inlinable
    public init(_ raw: UnsafeMutableRawBufferPointer) { self.raw = raw }

    /// Writes a fixed-width integer in little-endian byte order.
    @inlinable
    public mutating func writeLittleEndian<T: FixedWidthInteger>(_ value: T) {
        precondition(position + MemoryLayout<T>.size <= raw.count, "write past the end")
        raw.storeBytes(of: value.littleEndian, toByteOffset: position, as: T.self)
        position += MemoryLayout<T>.size
    }

    /// Writes a hash's 32 bytes in internal byte order.
    @inlinable
    public mutating func write(_ hash: Hash256) {
        hash.withUnsafeBytes { write($0) }
    }

    /// Writes raw bytes with no length prefix.
    @inlinable
    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        precondition(position + bytes.count <= raw.count, "write past the end")
        if let base = bytes.baseAddress, !bytes.isEmpty {
            (raw.baseAddress! + position).copyMemory(from: base, byteCount: bytes.count)
        }
        position += bytes.count
    }

    /// Writes an ASCII/UTF-8 literal's bytes with no length prefix.
    @inlinable
    public mutating func write(_ text: StaticString) {
        write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Writes a Bitcoin CompactSize (1, 3, 5 or 9 bytes, always the shortest form).
    @inlinable
    public mutating func writeCompactSize(_ value: UInt64) {
        switch value {
        case 0..<0xfd: writeLittleEndian(UInt8(value))
        case 0xfd...0xffff: writeLittleEndian(0xfd as UInt8); writeLittleEndian(UInt16(value))
        case 0x1_0000...0xffff_ffff: writeLittleEndian(0xfe as UInt8); writeLittleEndian(UInt32(value))
        default: writeLittleEndian(0xff as UInt8); writeLittleEndian(value)
        }
    }
}
