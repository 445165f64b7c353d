import NIOCore

/// When a connection reads, for the Stratum and the peer handlers alike (Docs/SECURITY.md,
/// backpressure): not while the remote side does not read what we send (the channel is
/// unwritable: the outbound buffer is over its high water mark, so answering more of its
/// requests would queue without bound), and not while the consumer of what we read is
/// behind (e.g. the peer manager's backlog); otherwise it reads. A remote that stays
/// unwritable for a timeout should be closed (`hasNotRead(for:now:)`).
///
/// A value the handler owns and calls from its channel's event loop; it switches the
/// channel's `autoRead` and asks for a read when reading resumes.
public struct ReadPausing: Sendable {
    /// Since when the channel has been unwritable; nil while writable.
    public private(set) var unwritableSince: NIODeadline?
    /// Whether the consumer asked to pause.
    public private(set) var consumerBehind = false

    /// Reading, writable, consumer keeping up.
    public init() {}

    /// Whether the connection should read now.
    public var reads: Bool { unwritableSince == nil && !consumerBehind }

    /// Call from `channelWritabilityChanged`: records since when the channel is
    /// unwritable and pauses or resumes reading.
    public mutating func writabilityChanged(context: ChannelHandlerContext, now: NIODeadline) {
        if context.channel.isWritable {
            unwritableSince = nil
        } else if unwritableSince == nil {
            unwritableSince = now
        }
        apply(context: context)
    }

    /// The consumer fell behind (`true`) or caught up (`false`); a change pauses or
    /// resumes reading.
    public mutating func setConsumerBehind(_ behind: Bool, context: ChannelHandlerContext) {
        guard behind != consumerBehind else { return }
        consumerBehind = behind
        apply(context: context)
    }

    /// Whether the remote has not read what we send for at least `timeout` by `now`.
    public func hasNotRead(for timeout: TimeAmount, now: NIODeadline) -> Bool {
        guard let since = unwritableSince else { return false }
        return now - since >= timeout
    }

    private func apply(context: ChannelHandlerContext) {
        let read = reads
        context.channel.setOption(ChannelOptions.autoRead, value: read).whenComplete { _ in }
        if read { context.read() }
    }
}
