/// Incremental frame parser: feed bytes as they arrive (in any split, down to one
/// byte at a time) and pull complete, checksum-verified frames. Pure; the NIO
/// handler in PeerNetwork applies the same `FrameHeader.parse` to its buffer.
///
/// After the first error the decoder is poisoned: the stream has lost framing
/// and every later call rethrows that error.
public struct FrameDecoder: Sendable {
    public let magic: NetworkMagic
    private var buffer: [UInt8] = []
    private var consumed = 0
    private var failure: FrameError?

    public init(magic: NetworkMagic) { self.magic = magic }

    /// Bytes received but not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - consumed }

    /// Appends received bytes.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        if consumed > 0 && consumed * 2 >= buffer.count {
            buffer.removeFirst(consumed)
            consumed = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, nil when more bytes are needed. Frames of
    /// unknown commands are returned too (`header.command == nil`).
    public mutating func next() throws(FrameError) -> Frame? {
        if let failure { throw failure }
        guard bufferedByteCount >= FrameHeader.size else { return nil }
        let header: FrameHeader
        do {
            header = try FrameHeader.parse(buffer[consumed..<consumed + FrameHeader.size], magic: magic)
        } catch {
            failure = error
            throw error
        }
        let total = FrameHeader.size + header.payloadLength
        guard bufferedByteCount >= total else { return nil }
        let payload = Array(buffer[consumed + FrameHeader.size..<consumed + total])
        guard FrameHeader.checksum(of: payload) == header.checksum else {
            failure = .badChecksum
            throw .badChecksum
        }
        consumed += total
        return Frame(header: header, payload: payload)
    }
}
