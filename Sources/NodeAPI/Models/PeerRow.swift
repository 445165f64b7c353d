/// One connected peer of `GET /api/v1/peers`.
public struct PeerRow: Sendable, Equatable {
    /// Who opened the connection.
    public enum Direction: String, Sendable, Equatable {
        case inbound, outbound
    }

    /// `HOST:PORT` of the peer.
    public var address: String
    /// Who opened the connection.
    public var direction: Direction
    /// The peer's Ed25519 node key (32 bytes); nil before the handshake completes.
    public var nodeKey: [UInt8]?
    /// When the connection was made, Unix seconds.
    public var connectedSince: UInt64
    /// Misbehaviour score (banned at the node's threshold).
    public var banScore: Int

    /// Creates a row.
    public init(address: String, direction: Direction, nodeKey: [UInt8]?, connectedSince: UInt64, banScore: Int) {
        self.address = address
        self.direction = direction
        self.nodeKey = nodeKey
        self.connectedSince = connectedSince
        self.banScore = banScore
    }
}
