import BitcoinPrimitives

/// Liveness probe; the peer answers with a `pong` carrying the same nonce.
///
/// Layout: `nonce u64`
public struct PingMessage: Sendable, Equatable {
    public var nonce: UInt64
    public init(nonce: UInt64) { self.nonce = nonce }
}

extension PingMessage: PeerPayload {
    public static let command = Command.ping
    public func encode(to w: inout ByteWriter) { w.writeLittleEndian(nonce) }
    public init(from r: inout ByteReader) throws(ConsensusDecodingError) { nonce = try r.readLittleEndian() }
}
