import BitcoinPrimitives
import Logging
import NIOCore
import NIOExtras
import NIOPosix

/// `tidepool mine`: connects to a Stratum v1 pool, keeps the CPU miner supplied
/// with work, submits what it finds, reconnects with backoff when the pool goes
/// away, and reports a status snapshot every `statusInterval`. Runs until cancelled.
public struct StratumMiner: Sendable {
    /// Pool, login and threads.
    public struct Configuration: Sendable {
        /// The pool.
        public var endpoint: HostPort
        /// Login, user agent and backoff.
        public var client: StratumClientStateMachine.Configuration
        /// Hashing threads.
        public var threads: Int
        /// Time between status snapshots.
        public var statusInterval: Duration
        /// How long a connection attempt may take.
        public var connectTimeout: Duration

        /// Creates a configuration.
        public init(endpoint: HostPort, client: StratumClientStateMachine.Configuration, threads: Int,
                    statusInterval: Duration = .seconds(5), connectTimeout: Duration = .seconds(10)) {
            self.endpoint = endpoint
            self.client = client
            self.threads = threads
            self.statusInterval = statusInterval
            self.connectTimeout = connectTimeout
        }
    }

    private enum Event: Sendable {
        case line(connection: Int, String)
        case closed(connection: Int)
        case solution(MiningSolution)
        case tick
    }

    private let configuration: Configuration
    private let logger: Logger
    private let group: any EventLoopGroup
    private let onStatus: @Sendable (MinerStatus) -> Void

    /// A miner; `onStatus` receives a snapshot every `statusInterval`.
    public init(configuration: Configuration, logger: Logger,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                onStatus: @escaping @Sendable (MinerStatus) -> Void = { _ in }) {
        self.configuration = configuration
        self.logger = logger
        self.group = eventLoopGroup
        self.onStatus = onStatus
    }

    /// Mines until the task is cancelled.
    public func run() async {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        let engine = CPUMiner(threads: configuration.threads) { continuation.yield(.solution($0)) }
        engine.start()
        defer { engine.stop() }
        let ticker = Task { [interval = configuration.statusInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                continuation.yield(.tick)
            }
        }
        defer { ticker.cancel(); continuation.finish() }

        var session = Session(machine: StratumClientStateMachine(configuration: configuration.client),
                              engine: engine, events: events.makeAsyncIterator())
        var connectionNumber = 0
        while !Task.isCancelled {
            connectionNumber += 1
            await connectAndServe(number: connectionNumber, session: &session, events: continuation)
            var delay = Duration.zero
            for action in session.machine.disconnected() {
                if case .reconnect(let after) = action { delay = after }
            }
            engine.update(nil)
            logger.info("reconnecting", metadata: ["pool": "\(configuration.endpoint)", "after": "\(delay)"])
            do { try await Task.sleep(for: delay) } catch { break }
        }
    }

    /// The state carried across connections.
    private struct Session {
        var machine: StratumClientStateMachine
        let engine: CPUMiner
        var events: AsyncStream<Event>.Iterator
        var lastHashes: UInt64 = 0
        var lastTick = ContinuousClock.now
    }

    private func connectAndServe(number: Int, session: inout Session,
                                 events: AsyncStream<Event>.Continuation) async {
        let endpoint = configuration.endpoint
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(max(1, configuration.connectTimeout.components.seconds)))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            logger.warning("cannot connect", metadata: ["pool": "\(endpoint)", "error": "\(error)"])
            return
        }
        logger.info("connected", metadata: ["pool": "\(endpoint)"])
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask {
                        do {
                            for try await buffer in inbound {
                                events.yield(.line(connection: number, String(buffer: buffer)))
                            }
                        } catch {}
                        events.yield(.closed(connection: number))
                    }
                    defer {
                        tasks.cancelAll()
                        channel.channel.close(promise: nil)
                    }
                    var pending = session.machine.connected()
                    while true {
                        for action in pending {
                            if try await perform(action, session: &session, outbound: outbound) == false { return }
                        }
                        guard let event = await session.events.next() else { return }
                        switch event {
                        case .line(let n, let text) where n == number:
                            logger.trace("pool →", metadata: ["line": "\(text)"])
                            pending = session.machine.received(line: text)
                        case .closed(let n) where n == number:
                            logger.warning("pool closed the connection", metadata: ["pool": "\(endpoint)"])
                            return
                        case .solution(let solution):
                            pending = session.machine.found(solution)
                        case .tick:
                            reportStatus(&session)
                            pending = []
                        case .line, .closed:
                            pending = []
                        }
                    }
                }
            }
        } catch {
            logger.warning("connection failed", metadata: ["pool": "\(endpoint)", "error": "\(error)"])
        }
    }

    /// Performs one action; false when the connection should end.
    private func perform(_ action: StratumClientStateMachine.Action, session: inout Session,
                         outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Bool {
        switch action {
        case .send(let line):
            logger.trace("pool ←", metadata: ["line": "\(line)"])
            try await outbound.write(ByteBuffer(string: line + "\n"))
        case .work(let work):
            session.engine.update(work)
        case .close(let reason):
            logger.warning("closing the connection", metadata: ["reason": "\(reason)"])
            return false
        case .reconnect:
            return false
        case .report(let report):
            log(report)
        }
        return true
    }

    private func log(_ report: StratumClientStateMachine.Report) {
        switch report {
        case .subscribed(let en1, let size):
            logger.info("subscribed", metadata: ["extranonce1": "\(Hex.encode(en1))", "extranonce2_size": "\(size)"])
        case .authorized: logger.info("authorized", metadata: ["user": "\(configuration.client.user)"])
        case .authorizationFailed(let why): logger.error("authorization failed", metadata: ["reason": "\(why)"])
        case .difficulty(let d): logger.info("difficulty", metadata: ["difficulty": "\(d)"])
        case .newJob(let id, let clean): logger.debug("new job", metadata: ["job": "\(id)", "clean": "\(clean)"])
        case .accepted(let id): logger.info("share accepted", metadata: ["job": "\(id)"])
        case .rejected(let id, let why): logger.warning("share rejected", metadata: ["job": "\(id)", "reason": "\(why)"])
        case .staleSolutionDropped(let id): logger.debug("stale solution dropped", metadata: ["job": "\(id)"])
        case .poolMessage(let text): logger.notice("pool message", metadata: ["message": "\(text)"])
        case .malformed(let why): logger.warning("malformed message from pool", metadata: ["reason": "\(why)"])
        }
    }

    private func reportStatus(_ session: inout Session) {
        let now = ContinuousClock.now
        let hashes = session.engine.hashCount
        let elapsed = now - session.lastTick
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(hashes &- session.lastHashes) / seconds : 0
        session.lastHashes = hashes
        session.lastTick = now
        let m = session.machine
        onStatus(MinerStatus(hashrate: rate, accepted: m.accepted, rejected: m.rejected,
                             difficulty: m.difficulty, mining: m.phase == .mining))
    }
}
