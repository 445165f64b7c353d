/// Appends consensus-encoded values (little-endian integers, CompactSize, raw bytes).
public struct ByteWriter: Sendable {
    /// Everything written so far.
    public private(set) var bytes: [UInt8]

    /// An empty writer; `capacity` reserves space up front.
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: UInt8) { bytes.append(value) }

    /// Writes a fixed-width integer in little-endian byte order.
    public mutating func writeLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a fixed-width integer in big-endian byte order.
    public mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes raw bytes with no length prefix.
    public mutating func write(_ data: some Sequence<UInt8>) { bytes.append(contentsOf: data) }

    /// Writes a hash's 32 bytes in internal byte order.
    public mutating func write(_ hash: Hash256) {
        var words = (hash.a.littleEndian, hash.b.littleEndian, hash.c.littleEndian, hash.d.littleEndian)
        withUnsafeBytes(of: &words) { bytes.append(contentsOf: $0) }
    }

    /// Writes a Bitcoin CompactSize (1, 3, 5 or 9 bytes, always the shortest form).
    public mutating func writeCompactSize(_ value: UInt64) {
        switch value {
        case 0..<0xfd: write(UInt8(value))
        case 0xfd...0xffff: write(0xfd as UInt8); writeLittleEndian(UInt16(value))
        case 0x1_0000...0xffff_ffff: write(0xfe as UInt8); writeLittleEndian(UInt32(value))
        default: write(0xff as UInt8); writeLittleEndian(value)
        }
    }

    /// Writes a CompactSize length followed by the bytes.
    public mutating func writeVarBytes(_ data: some Collection<UInt8>) {
        writeCompactSize(UInt64(data.count))
        write(data)
    }

    /// Writes any consensus-encodable value.
    public mutating func write(_ value: some ConsensusEncodable) { value.encode(to: &self) }
}

/// Size in bytes of a value's CompactSize encoding.
public func compactSizeLength(_ value: UInt64) -> Int {
    switch value {
    case 0..<0xfd: return 1
    case 0xfd...0xffff: return 3
    case 0x1_0000...0xffff_ffff: return 5
    default: return 9
    }
}
