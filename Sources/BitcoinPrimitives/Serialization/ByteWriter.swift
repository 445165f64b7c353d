/// Appends consensus-encoded values (little-endian integers, CompactSize, raw bytes).
///
/// The writing methods are `@inlinable` so that callers in other modules (the coinbase
/// serializer share validation runs, the share header hash) get them specialized for
/// their integer types instead of calling through generic witness tables.
public struct ByteWriter: Sendable {
    @usableFromInline var storage: [UInt8]

    /// Everything written so far.
    @inlinable public var bytes: [UInt8] { storage }

    /// An empty writer; `capacity` reserves space up front.
    @inlinable
    public init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    @inlinable
    public mutating func write(_ value: UInt8) { storage.append(value) }

    /// Writes a fixed-width integer in little-endian byte order.
    @inlinable
    public mutating func writeLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { storage.append(contentsOf: $0) }
    }

    /// Writes a fixed-width integer in big-endian byte order.
    @inlinable
    public mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { storage.append(contentsOf: $0) }
    }

    /// Writes raw bytes with no length prefix.
    @inlinable
    public mutating func write(_ data: some Sequence<UInt8>) { storage.append(contentsOf: data) }

    /// Writes a hash's 32 bytes in internal byte order.
    @inlinable
    public mutating func write(_ hash: Hash256) {
        hash.withUnsafeBytes { storage.append(contentsOf: $0) }
    }

    /// Writes a Bitcoin CompactSize (1, 3, 5 or 9 bytes, always the shortest form), as
    /// `FixedBufferWriter.writeCompactSize` encodes it.
    @inlinable
    public mutating func writeCompactSize(_ value: UInt64) {
        if value < 0xfd { return storage.append(UInt8(value)) }  // the one-byte form, most lengths
        var encoded: (UInt64, UInt64) = (0, 0)
        Swift.withUnsafeMutableBytes(of: &encoded) { raw in
            var w = FixedBufferWriter(raw)
            w.writeCompactSize(value)
            storage.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[..<w.offset]))
        }
    }

    /// Writes a CompactSize length followed by the bytes.
    @inlinable
    public mutating func writeVarBytes(_ data: some Collection<UInt8>) {
        writeCompactSize(UInt64(data.count))
        write(data)
    }

    /// Writes any consensus-encodable value.
    @inlinable
    public mutating func write(_ value: some ConsensusEncodable) { value.encode(to: &self) }
}

/// Size in bytes of a value's CompactSize encoding.
@inlinable
public func compactSizeLength(_ value: UInt64) -> Int {
    switch value {
    case 0..<0xfd: return 1
    case 0xfd...0xffff: return 3
    case 0x1_0000...0xffff_ffff: return 5
    default: return 9
    }
}
