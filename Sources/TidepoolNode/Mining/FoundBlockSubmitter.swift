import BitcoinPrimitives
import BitcoinRPC
import Logging
import ServiceLifecycle
import Sharechain
import NIOConcurrencyHelpers
import PeerNetwork

/// A found block on its way to bitcoind (and, if it is ours, to the peers).
public struct FoundBlockWork: Sendable {
    /// Where the block came from.
    public enum Origin: Sendable, Equatable {
        /// A local miner found it (worker name for the logs).
        case local(worker: String)
        /// A peer relayed it.
        case peer
    }

    /// The full block.
    public var block: Block
    /// Who found it.
    public var origin: Origin
    /// What to keep for audits (blocks our miners found); nil for peers' blocks.
    public var record: FoundBlockRecord?

    /// Creates a work item.
    public init(block: Block, origin: Origin, record: FoundBlockRecord? = nil) {
        self.block = block
        self.origin = origin
        self.record = record
    }
}

/// Counters of the submitter, for logs, the API and metrics.
public struct FoundBlockSubmitterStatistics: Sendable, Equatable {
    /// Blocks handed to the submitter.
    public var received: UInt64 = 0
    /// `submitblock` answered `null` or `duplicate`.
    public var accepted: UInt64 = 0
    /// `submitblock` answered `inconclusive` or `duplicate-inconclusive` (e.g. a side branch).
    public var inconclusive: UInt64 = 0
    /// `submitblock` answered with a rejection reason (or `duplicate-invalid`).
    public var rejected: UInt64 = 0
    /// The call failed (bitcoind unreachable, timeout) or the block came after shutdown began.
    public var failed: UInt64 = 0
    /// Calls cancelled because shutdown's drain time ran out.
    public var dropped: UInt64 = 0
    /// Submissions under way.
    public var inFlight: Int = 0
}

/// What the submitter did with a block, reported the moment it happens (metrics).
public enum FoundBlockEvent: Sendable, Equatable {
    /// A block of this node's miners was handed over (a resubmitted one is not reported).
    case found
    /// `submitblock` answered (for our block or a peer's) after `latency`.
    case answered(SubmitBlockResult, latency: Duration)
    /// The call failed (bitcoind unreachable, timeout) or the block came after shutdown began.
    case failed
    /// The call was cancelled because shutdown's drain time ran out.
    case dropped
}

/// Submits found blocks to bitcoind the instant they are found: every block gets its
/// own task at once, never queued behind shares, templates or other blocks, over a
/// small pool of RPC connections used for nothing else (bitcoind validates blocks one
/// at a time under its main lock, so more connections would only wait there).
///
/// A block of ours is relayed to peers at the same moment (not after bitcoind's
/// answer: a peer's bitcoind may be faster). Every answer is logged with its reason and
/// latency and recorded in the found-block store. An in-flight `submitblock` is never
/// cancelled except at shutdown: on graceful shutdown the submitter stops taking blocks
/// and waits up to `drainTimeout` for the calls under way, then says how many it dropped.
public final class FoundBlockSubmitter: Service, Sendable {
    private let connections: [any BlockSubmitter]
    private let relay: @Sendable ([UInt8]) async -> Void
    private let store: (any FoundBlockStore)?
    private let logger: Logger
    private let drainTimeout: Duration
    private let onEvent: @Sendable (FoundBlockEvent) -> Void
    private let stream: AsyncStream<FoundBlockWork>
    private let continuation: AsyncStream<FoundBlockWork>.Continuation
    private let state = NIOLockedValueBox(State())

    private struct State {
        var statistics = FoundBlockSubmitterStatistics()
        var nextConnection = 0
        var accepting = true
        /// Latencies of the last `latencyWindow` answers, milliseconds.
        var latencies: [UInt64] = []
        /// Recently handed-over blocks: a miner resubmitting a header, or a peer relaying
        /// our own block back, is not submitted twice.
        var recent: Set<BlockHash> = []
        var recentOrder: [BlockHash] = []
    }

    /// How many answer latencies the percentiles are computed over.
    public static let latencyWindow = 10_000
    /// How many recent block hashes are remembered to skip resubmissions.
    public static let recentBlocks = 4096

    /// Creates a submitter.
    /// - Parameters:
    ///   - connections: one or more `submitblock` clients, each with its own connection.
    ///   - relay: hands a serialized block of ours to the peer network.
    ///   - store: where found blocks and their verdicts are recorded.
    ///   - drainTimeout: how long shutdown waits for submissions under way.
    ///   - onEvent: told of every found block and `submitblock` outcome as it happens.
    public init(connections: [any BlockSubmitter], relay: @escaping @Sendable ([UInt8]) async -> Void,
                store: (any FoundBlockStore)?, logger: Logger, drainTimeout: Duration = .seconds(10),
                onEvent: @escaping @Sendable (FoundBlockEvent) -> Void = { _ in }) {
        self.onEvent = onEvent
        precondition(!connections.isEmpty, "at least one submitblock connection")
        self.connections = connections
        self.relay = relay
        self.store = store
        self.logger = logger
        self.drainTimeout = drainTimeout
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Hands a block over; returns at once. Blocks handed over after shutdown began are
    /// logged and counted as failed.
    public func submit(_ work: FoundBlockWork) {
        let hash = work.block.hash
        let (accepted, repeated) = state.withLockedValue { s -> (Bool, Bool) in
            guard s.recent.insert(hash).inserted else { return (true, true) }
            s.recentOrder.append(hash)
            if s.recentOrder.count > Self.recentBlocks { s.recent.remove(s.recentOrder.removeFirst()) }
            guard s.accepting else { s.statistics.failed += 1; return (false, false) }
            s.statistics.received += 1
            s.statistics.inFlight += 1
            return (true, false)
        }
        if repeated {
            logger.debug("block already handed to bitcoind; not submitted again", metadata: ["hash": "\(hash)"])
            return
        }
        if case .local = work.origin { onEvent(.found) }
        guard accepted else {
            onEvent(.failed)
            logger.error("block found during shutdown was not submitted", metadata: ["hash": "\(work.block.hash)"])
            return
        }
        if var record = work.record {
            record.verdict = FoundBlockRecord.pending
            persist(record)
        }
        continuation.yield(work)
    }

    /// The counters so far.
    public var statistics: FoundBlockSubmitterStatistics { state.withLockedValue { $0.statistics } }

    /// `submitblock` latency percentiles (p50, p99) over the recent answers, milliseconds.
    public var latencyPercentiles: (p50: UInt64, p99: UInt64)? {
        let sorted = state.withLockedValue { $0.latencies }.sorted()
        guard !sorted.isEmpty else { return nil }
        return (sorted[(sorted.count - 1) / 2], sorted[(sorted.count - 1) * 99 / 100])
    }

    /// Submits until graceful shutdown, then drains (see the type's documentation).
    public func run() async {
        let drainTimeout = self.drainTimeout
        await withTaskGroup(of: Void.self) { group in
            // The submissions, each in its own child task, until the queue is finished.
            group.addTask {
                await withDiscardingTaskGroup { submissions in
                    for await work in self.stream {
                        submissions.addTask { await self.process(work) }
                    }
                }
            }
            // Graceful shutdown (or cancellation): stop accepting, then drain for at most
            // `drainTimeout` — whichever ends first, the drained queue or the deadline,
            // ends the wait, and what is still under way is cancelled (counted as dropped).
            try? await gracefulShutdown()
            let inFlight = state.withLockedValue { s -> Int in
                s.accepting = false
                return s.statistics.inFlight
            }
            continuation.finish()
            if inFlight > 0 {
                logger.notice("waiting for \(inFlight) block submission(s) under way (at most \(drainTimeout))")
            }
            group.addTask { try? await Task.sleep(for: drainTimeout) }
            await group.next()
            group.cancelAll()
        }
        let s = statistics
        if s.dropped > 0 {
            logger.error("shutdown: \(s.dropped) block submission(s) still under way after \(drainTimeout) were dropped")
        }
        var summary = "block submissions: \(s.received) received, \(s.accepted) accepted, \(s.inconclusive) inconclusive, \(s.rejected) rejected, \(s.failed) failed, \(s.dropped) dropped at shutdown"
        if let p = latencyPercentiles { summary += "; submitblock latency p50 \(p.p50) ms, p99 \(p.p99) ms" }
        logger.info("\(summary)")
    }

    private func connection() -> any BlockSubmitter {
        let i = state.withLockedValue { s -> Int in
            defer { s.nextConnection = (s.nextConnection + 1) % connections.count }
            return s.nextConnection
        }
        return connections[i]
    }

    private func process(_ work: FoundBlockWork) async {
        let block = work.block
        let serialized = block.serialized
        // Peers get our own block at once, while our bitcoind validates it.
        let relay = self.relay
        async let relayed: Void = { if case .local = work.origin { await relay(serialized) } }()
        let started = ContinuousClock.now
        let verdict: String
        var metadata: Logger.Metadata = ["hash": "\(block.hash)"]
        if case .local(let worker) = work.origin { metadata["miner"] = "\(worker)" } else { metadata["from"] = "peer" }
        do {
            let result = try await connection().submitBlock(block)
            let latency = ContinuousClock.now - started
            onEvent(.answered(result, latency: latency))
            let ms = Self.milliseconds(latency)
            metadata["latency_ms"] = "\(ms)"
            verdict = Self.verdict(result)
            // The verdict and the end of the submission in one update: a reader never sees a
            // block counted as answered and still in flight.
            state.withLockedValue { s in
                s.statistics.inFlight -= 1
                switch result {
                case .accepted, .duplicate: s.statistics.accepted += 1
                case .inconclusive, .duplicateInconclusive: s.statistics.inconclusive += 1
                case .rejected, .duplicateInvalid: s.statistics.rejected += 1
                }
                s.latencies.append(ms)
                if s.latencies.count > Self.latencyWindow { s.latencies.removeFirst(s.latencies.count - Self.latencyWindow) }
            }
            switch result {
            case .accepted: logger.notice("submitblock: accepted by bitcoind", metadata: metadata)
            case .duplicate: logger.notice("submitblock: bitcoind already has this block (valid)", metadata: metadata)
            case .inconclusive, .duplicateInconclusive:
                logger.notice("submitblock: \(verdict) (valid so far but not on bitcoind's active chain, e.g. a side branch)", metadata: metadata)
            case .duplicateInvalid: logger.error("submitblock: bitcoind already knows this block as invalid", metadata: metadata)
            case .rejected(let reason): logger.error("submitblock: rejected by bitcoind: \(reason)", metadata: metadata)
            }
        } catch {
            let cancelled = error is CancellationError || Task.isCancelled
            state.withLockedValue { s in
                s.statistics.inFlight -= 1
                if cancelled { s.statistics.dropped += 1 } else { s.statistics.failed += 1 }
            }
            onEvent(cancelled ? .dropped : .failed)
            verdict = "not submitted: \(error)"
            logger.error("submitblock failed: \(error)", metadata: metadata)
        }
        if var record = work.record {
            record.verdict = verdict
            persist(record)
        }
        await relayed
    }

    private func persist(_ record: FoundBlockRecord) {
        guard let store else { return }
        do { try store.recordFoundBlock(record) } catch {
            logger.error("cannot record found block", metadata: ["hash": "\(record.blockHash)", "error": "\(error)"])
        }
    }

    /// The stored verdict text of a `submitblock` answer.
    static func verdict(_ result: SubmitBlockResult) -> String {
        switch result {
        case .accepted: return "accepted"
        case .duplicate: return "duplicate"
        case .duplicateInvalid: return "duplicate-invalid"
        case .duplicateInconclusive: return "duplicate-inconclusive"
        case .inconclusive: return "inconclusive"
        case .rejected(let reason): return "rejected: \(reason)"
        }
    }

    static func milliseconds(_ d: Duration) -> UInt64 {
        let c = d.components
        return UInt64(max(0, c.seconds)) * 1000 + UInt64(max(0, c.attoseconds)) / 1_000_000_000_000_000
    }
}

extension FoundBlockSubmitter: RelayedBlockSink {
    /// A block a peer relayed: to our bitcoind like our own, off the peer manager's actor.
    public func submitRelayedBlock(_ bytes: [UInt8]) {
        guard let block = try? Block(serialized: bytes) else { return }
        submit(FoundBlockWork(block: block, origin: .peer))
    }
}
