import BitcoinPrimitives

/// A message payload with its own command.
public protocol PeerPayload: ConsensusCodable, Sendable, Equatable {
    static var command: Command { get }
}

/// Every message of the peer protocol.
public enum PeerMessage: Sendable, Equatable {
    case version(VersionMessage)
    case verack(VerackMessage)
    case ping(PingMessage)
    case pong(PongMessage)
    case getaddr
    case addr(AddrMessage)
    case inv(InvMessage)
    case getshares(GetSharesMessage)
    case shares(SharesMessage)
    case getlocator(GetShareLocatorMessage)
    case sharehashes(ShareHashesMessage)
    case block(BlockMessage)
    case reject(RejectMessage)
    case getroot(GetRootMessage)
    case root(RootMessage)

    public var command: Command {
        switch self {
        case .version: return .version
        case .verack: return .verack
        case .ping: return .ping
        case .pong: return .pong
        case .getaddr: return .getaddr
        case .addr: return .addr
        case .inv: return .inv
        case .getshares: return .getshares
        case .shares: return .shares
        case .getlocator: return .getlocator
        case .sharehashes: return .sharehashes
        case .block: return .block
        case .reject: return .reject
        case .getroot: return .getroot
        case .root: return .root
        }
    }

    /// The payload bytes (without the frame header).
    public var payload: [UInt8] {
        switch self {
        case .version(let m): return m.serialized
        case .verack(let m): return m.serialized
        case .ping(let m): return m.serialized
        case .pong(let m): return m.serialized
        case .getaddr: return []
        case .addr(let m): return m.serialized
        case .inv(let m): return m.serialized
        case .getshares(let m): return m.serialized
        case .shares(let m): return m.serialized
        case .getlocator(let m): return m.serialized
        case .sharehashes(let m): return m.serialized
        case .block(let m): return m.serialized
        case .reject(let m): return m.serialized
        case .getroot(let m): return m.serialized
        case .root(let m): return m.serialized
        }
    }

    /// The whole frame: header and payload.
    public func frame(magic: NetworkMagic) -> [UInt8] {
        Frame.encode(command: command, payload: payload, magic: magic)
    }

    /// Decodes a payload of a known command (no trailing bytes allowed).
    public init(command: Command, payload: [UInt8]) throws(FrameError) {
        do {
            switch command {
            case .version: self = .version(try VersionMessage(serialized: payload))
            case .verack: self = .verack(try VerackMessage(serialized: payload))
            case .ping: self = .ping(try PingMessage(serialized: payload))
            case .pong: self = .pong(try PongMessage(serialized: payload))
            case .getaddr:
                guard payload.isEmpty else { throw ConsensusDecodingError.trailingBytes(count: payload.count) }
                self = .getaddr
            case .addr: self = .addr(try AddrMessage(serialized: payload))
            case .inv: self = .inv(try InvMessage(serialized: payload))
            case .getshares: self = .getshares(try GetSharesMessage(serialized: payload))
            case .shares: self = .shares(try SharesMessage(serialized: payload))
            case .getlocator: self = .getlocator(try GetShareLocatorMessage(serialized: payload))
            case .sharehashes: self = .sharehashes(try ShareHashesMessage(serialized: payload))
            case .block: self = .block(try BlockMessage(serialized: payload))
            case .reject: self = .reject(try RejectMessage(serialized: payload))
            case .getroot: self = .getroot(try GetRootMessage(serialized: payload))
            case .root: self = .root(try RootMessage(serialized: payload))
            }
        } catch let e as ConsensusDecodingError {
            throw .malformedPayload(command: command.rawValue, e)
        } catch {
            throw .malformedPayload(command: command.rawValue, .invalidValue(offset: 0, reason: "\(error)"))
        }
    }

    /// Decodes a frame; nil for a frame of an unknown command (skipped).
    public init?(frame: Frame) throws(FrameError) {
        guard let command = frame.header.command else { return nil }
        try self.init(command: command, payload: frame.payload)
    }
}
