import NIOCore
import PeerProtocol
import SharechainService

/// What a connection reports to its manager.
public enum PeerEvent: Sendable {
    /// A connection was set up (handlers installed).
    case opened(PeerID, Channel, PeerStateMachine.Direction, remoteHost: String, dialed: PeerAddress?,
                backlog: PeerBacklog)
    /// The handshake completed.
    case established(PeerID, VersionMessage)
    /// An application message passed the state machine.
    case message(PeerID, PeerMessage)
    /// A `ping` was answered after this round-trip time (inbound eviction protects the fastest peers).
    case pingTime(PeerID, TimeAmount)
    /// The connection is closing with this misbehaviour score (sent just before `closed`),
    /// which the manager carries over to the address's next connections.
    case scored(PeerID, Int)
    /// The connection closed; `ban` asks for the remote address to be banned.
    case closed(PeerID, CloseReason, ban: Bool)
}

/// Commands a manager sends down a connection (`triggerUserOutboundEvent`).
public enum PeerCommand: Sendable {
    /// Add misbehaviour points.
    case penalize(Int, reason: String)
    /// Close, optionally after a `reject`.
    case disconnect(CloseReason, reject: RejectMessage?)
    /// The manager drained the connection's backlog: read from the socket again.
    case resumeReading
}
