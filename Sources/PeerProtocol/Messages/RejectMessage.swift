import BitcoinPrimitives

/// Why the sender is about to close the connection.
///
/// Layout: `code u8 | reason varstr(≤ 256)`
public struct RejectMessage: Sendable, Equatable {
    public static let maxReasonLength = 256
    public static let maxEncodedSize = 1 + 3 + maxReasonLength

    /// Machine-readable reason.
    public enum Code: UInt8, Sendable {
        case consensusMismatch = 1
        case protocolVersion = 2
        case nodeKeyNotAllowed = 3
        case badHandshakeProof = 4
        case protocolViolation = 5
        case banned = 6
        case tooManyPeers = 7
        case duplicateConnection = 8
        case other = 255
    }

    public var code: Code
    public var reason: String

    public init(code: Code, reason: String) {
        self.code = code
        self.reason = String(decoding: Array(reason.utf8.prefix(Self.maxReasonLength)), as: UTF8.self)
    }
}

extension RejectMessage: PeerPayload {
    public static let command = Command.reject
    public func encode(to w: inout ByteWriter) {
        w.write(code.rawValue)
        w.writeString(reason)
    }
    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        code = Code(rawValue: try r.readUInt8()) ?? .other
        reason = try r.readString(maxLength: Self.maxReasonLength)
    }
}
