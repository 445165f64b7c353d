import NIOCore

/// A line longer than the server accepts.
public struct StratumLineTooLong: Error, Sendable, CustomStringConvertible {
    /// The limit in bytes.
    public var limit: Int
    /// One line for the log.
    public var description: String { "line longer than \(limit) bytes" }
}

/// Splits the byte stream at `\n` (dropping a trailing `\r` and blank lines) and
/// refuses lines longer than `maximumLength`.
struct StratumLineDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    let maximumLength: Int
    /// Bytes already searched for a newline in the buffer's readable part.
    private var scanned = 0

    init(maximumLength: Int) { self.maximumLength = maximumLength }

    mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        while true {
            let view = buffer.readableBytesView
            guard let newline = view.dropFirst(scanned).firstIndex(of: 0x0a) else {
                scanned = view.count
                if view.count > maximumLength { throw StratumLineTooLong(limit: maximumLength) }
                return nil
            }
            let length = newline - view.startIndex
            scanned = 0
            guard length <= maximumLength else { throw StratumLineTooLong(limit: maximumLength) }
            var line = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            if line.readableBytesView.last == 0x0d { line = line.getSlice(at: line.readerIndex, length: length - 1)! }
            if line.readableBytesView.contains(where: { $0 != 0x20 && $0 != 0x09 }) { return line }
        }
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        // A final line without a newline is ignored: the miner is gone.
        try decode(buffer: &buffer)
    }
}
