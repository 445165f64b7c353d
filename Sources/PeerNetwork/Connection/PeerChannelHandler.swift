import NIOCore
import NIOSupport
import PeerProtocol
import SharechainService

/// The thin NIO shell around `PeerStateMachine`: feeds it messages, frame errors,
/// outbound requests and clock ticks, and carries out its actions.
public final class PeerChannelHandler: ChannelDuplexHandler {
    public typealias InboundIn = PeerMessage
    public typealias OutboundIn = PeerMessage
    public typealias OutboundOut = PeerMessage

    private var machine: PeerStateMachine
    private let id: PeerID
    private let sink: @Sendable (PeerEvent) -> Void
    private var tickTask: Scheduled<Void>?
    private var closeReason: CloseReason = .connectionClosed
    private var ban = false
    private var reported = false
    private var started = false
    private let backlog: PeerBacklog
    /// Reading pauses while the manager is behind (`PeerBacklog`) or the peer does not
    /// read what we send (outbound buffer over the high mark).
    private var reading = ReadPausing()

    /// Outbound buffer per peer: over `high` bytes unsent the connection stops reading
    /// the peer's requests (their answers would queue), under `low` it reads again.
    public static let writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 512 * 1024,
                                                                                        high: 4 * 1024 * 1024)
    /// A peer that reads nothing of what we send for this long is closed (no ban).
    public static let notReadingTimeout: TimeAmount = .seconds(60)

    /// - Parameter sink: receives `established`, `message` and `closed` events (from the event loop).
    public init(id: PeerID, machine: PeerStateMachine, backlog: PeerBacklog = PeerBacklog(),
                sink: @escaping @Sendable (PeerEvent) -> Void) {
        self.id = id
        self.machine = machine
        self.backlog = backlog
        self.sink = sink
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        reading.writabilityChanged(context: context, now: context.eventLoop.now)
        context.fireChannelWritabilityChanged()
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        perform(machine.start(now: context.eventLoop.now), context: context)
        scheduleTick(context: context)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        perform(machine.receive(message, now: context.eventLoop.now), context: context)
        if case .pong = message, let rtt = machine.pingTime { sink(.pingTime(id, rtt)) }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let unknown = event as? UnknownCommandFrame {
            perform(machine.receiveUnknown(unknown.command, now: context.eventLoop.now), context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    public func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let frameError = error as? FrameError {
            perform(machine.frameError(frameError), context: context)
        } else {
            context.close(promise: nil)
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        tickTask?.cancel()
        machine.closed()
        report()
        context.fireChannelInactive()
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = unwrapOutboundIn(data)
        machine.sending(message, now: context.eventLoop.now)
        context.write(wrapOutboundOut(message), promise: promise)
    }

    public func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        switch event as? PeerCommand {
        case .penalize(let points, let reason)?:
            perform(machine.penalize(points, reason: reason), context: context)
        case .disconnect(let reason, let reject)?:
            perform(machine.disconnect(reason, reject: reject), context: context)
        case .resumeReading?:
            reading.setConsumerBehind(false, context: context)
        case nil:
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        promise?.succeed()
    }

    private func perform(_ actions: [PeerStateMachine.Action], context: ChannelHandlerContext) {
        var wrote = false
        for action in actions {
            switch action {
            case .send(let m):
                context.write(wrapOutboundOut(m), promise: nil)
                wrote = true
            case .established(let v):
                sink(.established(id, v))
            case .deliver(let m):
                sink(.message(id, m))
                if backlog.added() >= PeerBacklog.pauseAt, !reading.consumerBehind {
                    reading.setConsumerBehind(true, context: context)
                }
            case .close(let reason, let ban):
                closeReason = reason
                self.ban = ban
                if wrote { context.flush() }
                wrote = false
                context.close(promise: nil)
            }
        }
        if wrote { context.flush() }
    }

    private func report() {
        guard !reported else { return }
        reported = true
        sink(.scored(id, machine.score))
        sink(.closed(id, closeReason, ban: ban))
    }

    private func scheduleTick(context: ChannelHandlerContext) {
        tickTask = context.eventLoop.assumeIsolated().scheduleTask(in: machine.timings.tick) { [self] in
            guard context.channel.isActive else { return }
            if reading.hasNotRead(for: Self.notReadingTimeout, now: context.eventLoop.now) {
                closeReason = .timeout("the peer has not read our messages for \(Self.notReadingTimeout)")
                context.close(promise: nil)
                return
            }
            perform(machine.tick(now: context.eventLoop.now), context: context)
            if !machine.isClosed { scheduleTick(context: context) }
        }
    }
}
