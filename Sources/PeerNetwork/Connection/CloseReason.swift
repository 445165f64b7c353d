import PeerProtocol

/// Why a connection ended.
public enum CloseReason: Sendable, Equatable, CustomStringConvertible {
    /// Unparseable or oversized traffic (the sender is banned).
    case protocolViolation(String)
    /// The misbehaviour score reached 100 (the sender is banned).
    case misbehaviour(String)
    /// This node refused the peer during the handshake.
    case refused(RejectMessage.Code, String)
    /// The peer sent `reject`.
    case rejectedByPeer(RejectMessage.Code, String)
    /// Handshake, ping or request timeout.
    case timeout(String)
    /// The peer presented this node's own key.
    case selfConnection
    /// The connection closed from the other side or on an I/O error.
    case connectionClosed
    /// The manager asked for it.
    case requested(String)

    public var description: String {
        switch self {
        case .protocolViolation(let s): return "protocol violation: \(s)"
        case .misbehaviour(let s): return "misbehaviour: \(s)"
        case .refused(let c, let s): return "refused (\(c)): \(s)"
        case .rejectedByPeer(let c, let s): return "rejected by peer (\(c)): \(s)"
        case .timeout(let s): return "timeout: \(s)"
        case .selfConnection: return "connected to self"
        case .connectionClosed: return "connection closed"
        case .requested(let s): return s
        }
    }
}
