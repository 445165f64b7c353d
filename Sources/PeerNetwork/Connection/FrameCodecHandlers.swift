import NIOCore
import PeerProtocol

/// Splits the byte stream into messages with `FrameHeader.parse`: the header is
/// checked (magic, command, caps) before its payload is buffered, so an
/// oversized announcement is refused at once. Throws `FrameError`.
public struct PeerFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = PeerMessage
    public let magic: NetworkMagic

    public init(magic: NetworkMagic) { self.magic = magic }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let headerBytes = buffer.getBytes(at: buffer.readerIndex, length: FrameHeader.size) else {
            return .needMoreData
        }
        let header = try FrameHeader.parse(headerBytes, magic: magic)
        guard buffer.readableBytes >= FrameHeader.size + header.payloadLength else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: FrameHeader.size)
        let payload = buffer.readBytes(length: header.payloadLength) ?? []
        guard FrameHeader.checksum(of: payload) == header.checksum else { throw FrameError.badChecksum }
        if let command = header.command {
            context.fireChannelRead(wrapInboundOut(try PeerMessage(command: command, payload: payload)))
        } else {
            // Skipped, but not free: the state machine scores it.
            context.fireUserInboundEventTriggered(UnknownCommandFrame(command: header.commandName,
                                                                      length: header.payloadLength))
        }
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                                    seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// A well-formed frame of a command this node does not know (payload at most
/// `FrameHeader.maxUnknownPayloadSize`), passed up as a user inbound event so that
/// `PeerChannelHandler` can charge it to the peer's state machine.
public struct UnknownCommandFrame: Sendable, Equatable {
    /// The command text as sent.
    public var command: String
    /// Payload bytes.
    public var length: Int
}

/// Serializes messages into frames.
public struct PeerMessageEncoder: MessageToByteEncoder {
    public typealias OutboundIn = PeerMessage
    public let magic: NetworkMagic

    public init(magic: NetworkMagic) { self.magic = magic }

    public func encode(data: PeerMessage, out: inout ByteBuffer) throws {
        out.writeBytes(data.frame(magic: magic))
    }
}
