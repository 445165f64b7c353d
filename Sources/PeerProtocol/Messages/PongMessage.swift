import BitcoinPrimitives

/// Answer to a `ping`.
///
/// Layout: `nonce u64` (the ping's)
public struct PongMessage: Sendable, Equatable {
    public var nonce: UInt64
    public init(nonce: UInt64) { self.nonce = nonce }
}

extension PongMessage: PeerPayload {
    public static let command = Command.pong
    public func encode(to w: inout ByteWriter) { w.writeLittleEndian(nonce) }
    public init(from r: inout ByteReader) throws(ConsensusDecodingError) { nonce = try r.readLittleEndian() }
}
