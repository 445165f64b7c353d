import BitcoinPrimitives

/// The 24-byte frame header: `magic [4] | command [12] | length u32 LE | checksum [4]`.
public struct FrameHeader: Sendable, Equatable {
    public static let size = 24
    public static let commandSize = 12
    /// Hard cap on any payload (a full 4 MWU block is below it).
    public static let maxPayloadSize = 4 * 1024 * 1024
    /// Cap on the payload of a command this node does not know. Such a frame is only
    /// skipped (forward compatibility), so it may not make the receiver buffer and
    /// checksum megabytes: a longer one is refused at the header, before its payload is
    /// read. A node never sends a command its peer's `protocol_version` does not know.
    public static let maxUnknownPayloadSize = 1024

    /// The command, nil when the sender used one this node does not know
    /// (the frame is then skipped, for forward compatibility).
    public var command: Command?
    /// The command text as sent (NUL padding removed).
    public var commandName: String
    public var payloadLength: Int
    public var checksum: [UInt8]

    /// Parses and checks a header: magic, command syntax, payload caps.
    /// `bytes` must hold at least `size` bytes starting at `start`.
    public static func parse(_ bytes: some RandomAccessCollection<UInt8>, magic: NetworkMagic)
        throws(FrameError) -> FrameHeader
    {
        let b = Array(bytes.prefix(size))
        precondition(b.count == size)
        guard Array(b[0..<4]) == magic.bytes else { throw .badMagic(Array(b[0..<4])) }
        let cmd = b[4..<16]
        let end = cmd.firstIndex(of: 0) ?? 16
        guard end > 4,
              cmd[4..<end].allSatisfy({ $0 >= 0x21 && $0 <= 0x7e }),
              cmd[end...].allSatisfy({ $0 == 0 })
        else { throw .malformedCommand }
        let name = String(decoding: cmd[4..<end], as: UTF8.self)
        let length = Int(UInt32(b[16]) | UInt32(b[17]) << 8 | UInt32(b[18]) << 16 | UInt32(b[19]) << 24)
        let command = Command(rawValue: name)
        let limit = command?.maxPayloadSize ?? maxUnknownPayloadSize
        guard length <= limit else { throw .oversized(command: name, length: length, limit: limit) }
        return FrameHeader(command: command, commandName: name, payloadLength: length, checksum: Array(b[20..<24]))
    }

    /// First four bytes of SHA-256d of the payload.
    public static func checksum(of payload: [UInt8]) -> [UInt8] {
        Array(SHA256d.hash(payload).bytes.prefix(4))
    }
}

/// One complete frame: the parsed header and its checked payload.
public struct Frame: Sendable, Equatable {
    public var header: FrameHeader
    public var payload: [UInt8]

    /// Serializes `payload` as a frame of `command` on `magic`.
    public static func encode(command: Command, payload: [UInt8], magic: NetworkMagic) -> [UInt8] {
        var w = ByteWriter(capacity: FrameHeader.size + payload.count)
        w.write(magic.bytes)
        w.write(command.wireBytes)
        w.writeLittleEndian(UInt32(payload.count))
        w.write(FrameHeader.checksum(of: payload))
        w.write(payload)
        return w.bytes
    }
}
