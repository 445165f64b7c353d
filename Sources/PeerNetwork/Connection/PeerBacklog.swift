import Synchronization

/// Messages a connection has handed to its manager that the manager has not handled yet
/// (issue 11 item 5, Docs/SECURITY.md "Peer-to-peer"). The connection stops reading from
/// the socket when it reaches `pauseAt` and the manager resumes it when it drains to
/// `resumeAt`, so a peer that sends faster than the node can validate is slowed down by
/// TCP instead of filling memory.
public final class PeerBacklog: Sendable {
    /// Undelivered messages at which reading stops.
    public static let pauseAt = 64
    /// Undelivered messages at which reading resumes.
    public static let resumeAt = 16

    private let count = Atomic<Int>(0)

    public init() {}

    /// One more message handed over; returns the new count.
    func added() -> Int { count.add(1, ordering: .relaxed).newValue }

    /// One message handled; returns the new count.
    func handled() -> Int { count.subtract(1, ordering: .relaxed).newValue }

    /// Messages handed over and not handled yet.
    public var pending: Int { count.load(ordering: .relaxed) }
}
