import BitcoinPrimitives
import Logging
import NIOCore
import NIOSupport
import StratumProtocol

/// The thin per-connection handler: decodes lines, drives the connection's
/// `StratumSession`, and performs its actions. Lives on its channel's event loop.
final class StratumConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let connectionID: UInt64
    private var session: StratumSession
    private let server: StratumServer
    private var logger: Logger
    private var context: ChannelHandlerContext?
    private var tickTask: RepeatedTask?
    private var remoteAddress = "?"
    /// Read pausing while the miner does not read what we send.
    private var reading = ReadPausing()

    init(connectionID: UInt64, session: StratumSession, server: StratumServer, logger: Logger) {
        self.connectionID = connectionID
        self.session = session
        self.server = server
        self.logger = logger
        self.logger[metadataKey: "stratum.connection"] = "\(connectionID)"
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        remoteAddress = context.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        let interval = server.configuration.tickInterval
        // Cancelled in handlerRemoved, which breaks the handler ↔ task reference cycle.
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        tickTask = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let handler = bound.value
            if handler.closeIfNotReading(now: .now()) { return }
            handler.perform(handler.session.tick(now: .now))
            handler.context?.flush()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        tickTask?.cancel()
        tickTask = nil
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        server.unregister(connectionID)
        logger.debug("miner disconnected", metadata: ["remote": "\(remoteAddress)"])
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        do {
            switch try StratumInbound.parse(line: line.readableBytesView) {
            case .request(let request):
                let before = session.stats
                perform(session.handle(request, now: .now))
                if request.method == "mining.submit", let onSubmit = server.configuration.onSubmit {
                    Self.reportSubmit(before: before, after: session.stats, to: onSubmit)
                }
            case .response:
                break  // a miner's answer to something we sent; nothing to do
            }
        } catch {
            logger.debug("unusable request", metadata: ["error": "\(error)"])
            perform(session.handle(invalid: error, now: .now))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    /// Backpressure (Docs/SECURITY.md): while the miner does not read what we send (the
    /// outbound buffer is over its high water mark), we stop reading its requests, so a
    /// client that writes but never reads cannot make the node queue answers without
    /// bound; one that stays so for `notReadingTimeout` is closed.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        reading.writabilityChanged(context: context, now: .now())
        context.fireChannelWritabilityChanged()
    }

    /// Closes the connection when it has not read for `notReadingTimeout`; true if closed.
    func closeIfNotReading(now: NIODeadline) -> Bool {
        guard let context, reading.hasNotRead(for: server.configuration.notReadingTimeout, now: now) else { return false }
        logger.warning("closing connection: the miner has not read our messages for \(server.configuration.notReadingTimeout)",
                       metadata: ["remote": "\(remoteAddress)"])
        context.close(promise: nil)
        return true
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let tooLong = error as? StratumLineTooLong {
            logger.warning("closing connection: \(tooLong)", metadata: ["remote": "\(remoteAddress)"])
        } else {
            logger.debug("closing connection on error: \(error)", metadata: ["remote": "\(remoteAddress)"])
        }
        context.close(promise: nil)
    }

    /// New work from `publish` or the work source; `line` is the job's pre-encoded
    /// `mining.notify` when the server has one.
    func deliver(_ work: ConnectionRegistry.Work) {
        perform(session.receive(job: work.job, now: .now), notifyLine: work.line)
        context?.flush()
    }

    /// Statistics for the node's API.
    func snapshot() -> StratumWorkerSnapshot {
        StratumWorkerSnapshot(
            connectionID: connectionID, remoteAddress: remoteAddress,
            address: session.worker.map { $0.address.encoded(for: session.network) },
            workerName: session.worker?.workerName, userAgent: session.userAgent,
            difficulty: session.difficulty, accepted: session.stats.accepted, rejected: session.stats.rejected,
            shares: session.stats.shares, blocks: session.stats.blocks,
            coinbaseSizeClass: session.coinbaseSizeClass,
            coinbaseSizeClassReason: session.coinbaseSizeClassReason.map(Self.describe),
            hashrate: session.stats.hashrate(now: .now),  // display only
            acceptedDifficultyRaw: session.stats.acceptedDifficultyRaw)
    }

    private func perform(_ actions: [StratumAction], notifyLine: ByteBuffer? = nil) {
        guard let context else { return }
        for action in actions {
            switch action {
            case .send(let message):
                write(message.encodedLine(), context: context)
            case .notify(let job, let jobID, let clean):
                if let notifyLine, jobID == job.id, clean == job.clean {
                    context.write(wrapOutboundOut(notifyLine), promise: nil)
                } else {
                    write(StratumOutbound.notification(.notify(job, jobID: jobID, clean: clean)).encodedLine(),
                          context: context)
                }
            case .ready(let key):
                logger.info("miner authorized", metadata: [
                    "remote": "\(remoteAddress)", "payout_script": "\(key.payoutScript.hex)",
                    "user_agent": "\(session.userAgent ?? "-")", "coinbase_class": "\(key.coinbaseSizeClass)",
                    "why": "\(session.coinbaseSizeClassReason.map(Self.describe) ?? "-")",
                ])
                switch server.connectionReady(connectionID, key: key) {
                case .job(let job, let line):
                    perform(session.receive(job: job, now: .now), notifyLine: line)
                case .waiting:
                    break
                case .tooManyPayoutScripts(let limit):
                    // Each payout script costs a TIDES split, a coinbase and a job on every
                    // new tip: one IP may not make the node build for unboundedly many.
                    logger.warning("closing connection: its IP already mines to \(limit) other payout addresses",
                                   metadata: ["remote": "\(remoteAddress)"])
                    context.flush()
                    context.close(promise: nil)
                    return
                }
            case .submitBlock(let submission):
                logger.notice("block found", metadata: ["hash": "\(submission.hash)", "job": "\(submission.job.id)"])
                server.submit(block: submission)
            case .submitShare(let submission):
                logger.info("share found", metadata: ["hash": "\(submission.hash)", "job": "\(submission.job.id)"])
                server.enqueue(share: submission)
            case .close(let reason):
                logger.warning("closing connection: \(reason)", metadata: ["remote": "\(remoteAddress)"])
                context.flush()
                context.close(promise: nil)
                return
            }
        }
    }

    /// What one `mining.submit` changed in the connection's counters, to `onSubmit`.
    static func reportSubmit(before: WorkerStats, after: WorkerStats,
                             to onSubmit: @Sendable (StratumRejectReason?) -> Void) {
        if after.accepted > before.accepted { onSubmit(nil); return }
        for (reason, count) in after.rejected where count > before.rejected[reason, default: 0] {
            onSubmit(reason)
            return
        }
    }

    /// A coinbase class choice in words, for the log and the API.
    static func describe(_ reason: CoinbaseSizeClassPolicy.Reason) -> String {
        switch reason {
        case .operatorWorker: return "operator setting for this worker"
        case .operatorAddress: return "operator setting for this address"
        case .operatorDefault: return "operator default"
        case .password: return "miner's password (cb=N)"
        case .userAgent(let rule): return "user agent: \(rule.firmware)"
        case .unknownFirmware: return "unknown firmware: the safest class"
        }
    }

    private func write(_ bytes: [UInt8], context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }
}
