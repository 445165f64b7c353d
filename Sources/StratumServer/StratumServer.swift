import BitcoinPrimitives
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Sharechain
import StratumProtocol
import NIOConcurrencyHelpers

/// The Stratum v1 server: a swift-service-lifecycle `Service`.
///
/// Connections are grouped by authorized payout script; `publish(jobs:clean:)`
/// gives each connection the job of its script. Found blocks and shares go to the
/// `StratumSubmissionSink`: a block the instant its line is read (never queued),
/// shares through one ordered queue.
public final class StratumServer: Service, Sendable {
    /// The configuration.
    public let configuration: StratumServerConfiguration
    private let group: any EventLoopGroup
    private let workSource: any StratumWorkSource
    private let sink: any StratumSubmissionSink
    private let logger: Logger
    private let registry = NIOLockedValueBox(ConnectionRegistry())
    private let shares: AsyncStream<StratumSubmission>
    private let shareContinuation: AsyncStream<StratumSubmission>.Continuation
    /// Payout scripts whose job the work source is asked for (served by `run()`).
    private let fetches: AsyncStream<JobKey>
    private let fetchContinuation: AsyncStream<JobKey>.Continuation

    /// Creates a server; nothing listens until `bind()` or `run()`.
    public init(configuration: StratumServerConfiguration, workSource: any StratumWorkSource,
                sink: any StratumSubmissionSink, logger: Logger,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.workSource = workSource
        self.sink = sink
        self.logger = logger
        self.group = group
        (shares, shareContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        // A fetch is asked once per payout script until answered (`ConnectionRegistry.ready`),
        // so the queue holds at most one entry per script waiting for its first job.
        (fetches, fetchContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Starts listening (once) and returns the bound address, e.g. to learn the port
    /// when configured with port 0.
    @discardableResult
    public func bind() async throws -> SocketAddress {
        if let address = registry.withLockedValue({ $0.listener?.localAddress }) { return address }
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: configuration.backlog)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.writeBufferWaterMark, value: configuration.writeBufferWaterMark)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try self.initialize(channel) }
            }
            .bind(host: configuration.host, port: configuration.port).get()
        let address = channel.localAddress!
        let existing: (any Channel)? = registry.withLockedValue { registry in
            if let listener = registry.listener { return listener }
            registry.listener = channel
            return nil
        }
        if let existing {
            channel.close(promise: nil)
            return existing.localAddress!
        }
        logger.info("stratum listening", metadata: ["address": "\(address)"])
        return address
    }

    /// Listens until graceful shutdown or cancellation, handing found shares to the sink
    /// and fetching the first job of each new payout script from the work source.
    public func run() async throws {
        try await bind()
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                await withDiscardingTaskGroup { fetching in
                    for await key in self.fetches {
                        fetching.addTask { await self.fetchNow(key) }
                    }
                }
            }
            tasks.addTask {
                for await share in self.shares {
                    guard let outcome = await self.sink.submitShare(share) else { continue }
                    self.log(outcome, of: share)
                }
            }
            try? await gracefulShutdown()
            await self.shutdown()
        }
    }

    /// What became of a miner's share in the chain, said once, here, where the miner is known.
    private func log(_ outcome: SubmitOutcome, of submission: StratumSubmission) {
        switch outcome {
        case .accepted(let tip, let adopted):
            logger.info("share accepted", metadata: [
                "share": "\(adopted.first.map { "\($0)" } ?? "-")", "miner": "\(submission.worker)",
                "tip": "\(tip == nil ? "side branch" : "new tip")",
            ])
        case .duplicate:
            // Every connection of one payout address and class mines the same share header
            // for a job; a second solution of that job is the same share, found after the
            // first: stale like any share found before the next job arrived.
            logger.notice("share not accepted", metadata: [
                "miner": "\(submission.worker)", "why": "stale: a share of the same job was accepted first",
            ])
        default:
            logger.notice("share not accepted", metadata: ["miner": "\(submission.worker)", "why": "\(outcome)"])
        }
    }

    /// Closes the listener and every connection, and ends the sink queues.
    public func shutdown() async {
        let (listener, channels) = registry.withLockedValue { registry in
            let listener = registry.listener
            registry.listener = nil
            return (listener, registry.connections.values.map(\.channel))
        }
        if let listener { try? await listener.close() }
        for channel in channels { channel.close(promise: nil) }
        shareContinuation.finish()
        fetchContinuation.finish()
        logger.info("stratum stopped")
    }

    /// Makes `jobs` the current work and sends each ready connection the job of its
    /// payout script (`mining.set_difficulty` first when its difficulty changed).
    ///
    /// - Parameter clean: whether miners must drop earlier work (new tip); overrides
    ///   each job's `clean`.
    public func publish(jobs: [JobKey: MiningJob], clean: Bool) {
        var encoded: [JobKey: (MiningJob, ByteBuffer)] = [:]
        for (script, var job) in jobs {
            job.clean = clean
            let line = StratumOutbound.notification(.notify(job, jobID: job.id, clean: clean)).encodedLine()
            encoded[script] = (job, ByteBuffer(bytes: line))
        }
        let (targets, missing) = registry.withLockedValue { $0.publish(encoded, clean: clean) }
        deliver(targets)
        for script in missing { fetch(script) }
    }

    /// Statistics of every connection.
    public func workerStats() async -> [StratumWorkerSnapshot] {
        let handlers = registry.withLockedValue { $0.connections.values.map(\.handler) }
        var result: [StratumWorkerSnapshot] = []
        result.reserveCapacity(handlers.count)
        for handler in handlers {
            if let snapshot = try? await handler.eventLoop.submit({ handler.value.snapshot() }).get() {
                result.append(snapshot)
            }
        }
        return result.sorted { $0.connectionID < $1.connectionID }
    }

    /// The job keys (payout script, coinbase size class) with at least one subscribed
    /// and authorized connection.
    public func readyJobKeys() -> [JobKey] {
        registry.withLockedValue { Array($0.groups.keys) }
    }

    /// Number of open connections.
    public var connectionCount: Int { registry.withLockedValue { $0.connections.count } }

    // MARK: - Connections

    /// Stops handing out work: closes every miner connection and refuses new ones until
    /// `resume()`, so miners fail over to their backup pool instead of mining on work
    /// the node cannot record (e.g. its share store is failing).
    public func suspend(reason: String) {
        let channels: [any Channel] = registry.withLockedValue { registry in
            guard registry.suspended == nil else { return [] }
            registry.suspended = reason
            return registry.connections.values.map(\.channel)
        }
        guard !channels.isEmpty || isSuspended else { return }
        logger.critical("stratum suspended: \(reason); closing \(channels.count) miner connection(s) and refusing new ones")
        for channel in channels { channel.close(promise: nil) }
    }

    /// Accepts miners again after `suspend(reason:)`.
    public func resume() {
        let was = registry.withLockedValue { registry -> String? in
            defer { registry.suspended = nil }
            return registry.suspended
        }
        if let was { logger.notice("stratum resumed (was suspended: \(was))") }
    }

    /// Whether the server is suspended.
    public var isSuspended: Bool { registry.withLockedValue { $0.suspended != nil } }

    /// Sets up one accepted connection (on its event loop).
    func initialize(_ channel: any Channel) throws {
        let ip = channel.remoteAddress?.ipAddress ?? "?"
        if let reason = registry.withLockedValue({ $0.suspended }) {
            logger.warning("refusing a miner connection from \(ip): \(reason)")
            throw StratumConnectionRefused()
        }
        let limits = (configuration.maximumConnections, configuration.maximumConnectionsPerIP)
        guard let (id, extranonce) = registry.withLockedValue({ $0.allocate(ip: ip, maximum: limits.0, maximumPerIP: limits.1) })
        else {
            logger.warning("refusing a miner connection from \(ip): at most \(limits.0) connections, \(limits.1) per IP")
            throw StratumConnectionRefused()
        }
        let extranonce1 = withUnsafeBytes(of: extranonce.bigEndian) { Array($0) }
        let session = StratumSession(extranonce1: extranonce1, network: configuration.network.bitcoinNetwork,
                                     networkName: configuration.network.rawValue,
                                     policy: configuration.vardiff,
                                     coinbaseSizeClassPolicy: configuration.coinbaseSizeClasses, now: .now)
        let handler = StratumConnectionHandler(connectionID: id, session: session, server: self, logger: logger)
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(StratumLineDecoder(maximumLength: configuration.maximumLineLength)))
        try channel.pipeline.syncOperations.addHandler(handler)
        let bound = NIOLoopBound(handler, eventLoop: channel.eventLoop)
        registry.withLockedValue { $0.connections[id] = ConnectionRegistry.Entry(
            channel: channel, handler: bound, extranonce: extranonce, ip: ip) }
    }

    func unregister(_ id: UInt64) {
        registry.withLockedValue { $0.remove(id) }
    }

    /// A connection became ready for `payoutScript`: the script's current job if there
    /// is one (to deliver at once); otherwise the work source is asked.
    func connectionReady(_ id: UInt64, key: JobKey) -> ConnectionRegistry.Readiness {
        let limit = configuration.maximumPayoutScriptsPerIP
        let readiness = registry.withLockedValue { $0.ready(id, key: key, maximumScriptsPerIP: limit) }
        if case .waiting(fetch: true) = readiness { fetch(key) }
        return readiness
    }

    /// Queues a request for a script's job (answered by `run()`).
    private func fetch(_ key: JobKey) { fetchContinuation.yield(key) }

    /// Asks the work source for a script's job and gives it to the script's connections.
    private func fetchNow(_ key: JobKey) async {
        let job = await workSource.job(for: key)
        let targets = registry.withLockedValue { $0.fetched(job, for: key) }
        deliver(targets)
    }

    func submit(block: StratumSubmission) { sink.submitBlock(block) }
    func enqueue(share: StratumSubmission) { shareContinuation.yield(share) }

    /// Delivers jobs with one task per event loop: each loop writes its connections'
    /// notifies (shared, pre-encoded bytes) and flushes each connection once.
    private func deliver(_ targets: [ConnectionRegistry.Delivery]) {
        var byLoop: [ObjectIdentifier: (any EventLoop, [ConnectionRegistry.Delivery])] = [:]
        for target in targets {
            let loop = target.handler.eventLoop
            byLoop[ObjectIdentifier(loop), default: (loop, [])].1.append(target)
        }
        for (_, (loop, batch)) in byLoop {
            loop.execute {
                for target in batch { target.handler.value.deliver(target.work) }
            }
        }
    }
}

/// A connection over the server's connection caps (closed at accept).
struct StratumConnectionRefused: Error {}
