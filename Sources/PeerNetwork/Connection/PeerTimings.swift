import NIOCore

/// Timeouts and schedules of one connection.
public struct PeerTimings: Sendable {
    /// `version` + `verack` must complete within this.
    public var handshakeTimeout: TimeAmount = .seconds(10)
    /// A `ping` is sent this long after the last one was answered.
    public var pingInterval: TimeAmount = .seconds(30)
    /// No `pong` within this: the peer is gone.
    public var pongTimeout: TimeAmount = .seconds(20)
    /// No answer to `getshares` / `getlocator` within this: the peer stalls.
    public var responseTimeout: TimeAmount = .seconds(30)
    /// How often the handler feeds the clock to the state machine.
    public var tick: TimeAmount = .milliseconds(500)

    public init() {}
}
