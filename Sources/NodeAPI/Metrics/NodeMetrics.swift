import Prometheus
import NIOConcurrencyHelpers

/// The node's Prometheus metrics, registered in a registry the caller owns (no
/// global `MetricsSystem`). The node bumps them where things happen (share accepted,
/// block answered, peer connected, …), never by polling; `GET /metrics` emits the
/// registry. Docs/HTTP-API.md lists them.
///
/// | metric | kind |
/// | --- | --- |
/// | `tidepool_shares_total` | counter: shares accepted into the sharechain (every source) |
/// | `tidepool_shares_accepted_total{source}` | counter: the same by `source` = `local` (this node's miners) or `peer` |
/// | `tidepool_shares_rejected_total{source,reason}` | counter: shares not accepted, by rule (`duplicate`, `bad_signature`, …) |
/// | `tidepool_shares_orphaned_total{source}` | counter: shares kept as orphans until their parent arrives |
/// | `tidepool_stratum_submits_total{result}` | counter: miners' `mining.submit` answers: `accepted` or the reject reason (`stale`, `low_difficulty`, …) |
/// | `tidepool_pruned_shares_total` | counter: shares dropped below the retained depth |
/// | `tidepool_store_shares` | gauge: shares in the sharechain index and store |
/// | `tidepool_tip_height` | gauge: height of the best share |
/// | `tidepool_peers` | gauge: established peer connections |
/// | `tidepool_synced` | gauge: 1 once the initial sharechain sync is done, else 0 |
/// | `tidepool_hashrate` | gauge: hashes per second of the node's miners (5-minute estimate, each minute) |
/// | `tidepool_blocks_found_total` | counter: Bitcoin blocks found by this node's miners |
/// | `tidepool_blocks_total{result}` | counter: `submitblock` outcomes: `accepted`, `duplicate`, `inconclusive`, `rejected`, `failed`, `dropped` |
/// | `tidepool_submitblock_seconds` | histogram: `submitblock` latency of answered calls |
/// | `tidepool_sharechain_hashrate` | gauge: the whole sharechain's hashes per second, last hour (statistics) |
/// | `tidepool_expected_block_seconds` | gauge: expected seconds to the pool's next block (statistics) |
/// | `tidepool_round_effort_percent` | gauge: this node's miners' work in the current round / expected (statistics) |
public final class NodeMetrics: Sendable {
    /// Where a share came from.
    public enum ShareSource: String, Sendable, CaseIterable {
        /// Found by this node's miners.
        case local
        /// Received from a peer.
        case peer
    }

    /// What `submitblock` made of a found block (the `result` label).
    public enum BlockResult: String, Sendable, CaseIterable {
        /// Valid and on bitcoind's active chain (`null`).
        case accepted
        /// bitcoind already had it as valid.
        case duplicate
        /// Valid so far but not on the active chain (`inconclusive`, `duplicate-inconclusive`).
        case inconclusive
        /// Refused with a reason (or `duplicate-invalid`).
        case rejected
        /// The call failed (bitcoind unreachable, timeout) or came after shutdown began.
        case failed
        /// Cancelled at shutdown after the drain time ran out.
        case dropped
    }

    /// The registry `/metrics` emits.
    public let registry: PrometheusCollectorRegistry
    private let shares: Counter
    private let accepted: [ShareSource: Counter]
    private let orphaned: [ShareSource: Counter]
    /// Labeled counters made on first use (rejections by reason, Stratum submits by result).
    private let labeled = NIOLockedValueBox<[String: Counter]>([:])
    private let pruned: Counter
    private let storeShares: Gauge
    private let tipHeight: Gauge
    private let peers: Gauge
    private let synced: Gauge
    private let hashrate: Gauge
    private let blocks: Counter
    private let blockResults: [BlockResult: Counter]
    private let submitLatency: DurationHistogram
    private let sharechainHashrate: Gauge
    private let expectedBlockSeconds: Gauge
    private let roundEffort: Gauge

    /// Buckets of `tidepool_submitblock_seconds`: bitcoind validates a block in
    /// milliseconds to seconds (large blocks, slow disks).
    public static let submitBlockBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    /// Registers the node's metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        shares = registry.makeCounter(descriptor: Self.name("shares", unit: "total", "Shares accepted into the sharechain."))
        let acceptedName = Self.name("shares_accepted", unit: "total", "Shares accepted into the sharechain, by source.")
        accepted = Dictionary(uniqueKeysWithValues: ShareSource.allCases.map {
            ($0, registry.makeCounter(descriptor: acceptedName, labels: [("source", $0.rawValue)]))
        })
        let orphanedName = Self.name("shares_orphaned", unit: "total", "Shares kept as orphans until their parent arrives, by source.")
        orphaned = Dictionary(uniqueKeysWithValues: ShareSource.allCases.map {
            ($0, registry.makeCounter(descriptor: orphanedName, labels: [("source", $0.rawValue)]))
        })
        pruned = registry.makeCounter(descriptor: Self.name("pruned_shares", unit: "total", "Shares pruned below the retained depth."))
        storeShares = registry.makeGauge(descriptor: Self.name("store_shares", "Shares in the sharechain index and store."))
        tipHeight = registry.makeGauge(descriptor: Self.name("tip_height", "Height of the best share."))
        peers = registry.makeGauge(descriptor: Self.name("peers", "Established peer connections."))
        synced = registry.makeGauge(descriptor: Self.name("synced", "1 once the initial sharechain sync is done, else 0."))
        hashrate = registry.makeGauge(descriptor: Self.name("hashrate", "Hashes per second of this node's miners."))
        blocks = registry.makeCounter(descriptor: Self.name("blocks_found", unit: "total", "Bitcoin blocks found by this node's miners."))
        let blocksName = Self.name("blocks", unit: "total", "Found blocks (ours and peers') by submitblock outcome.")
        blockResults = Dictionary(uniqueKeysWithValues: BlockResult.allCases.map {
            ($0, registry.makeCounter(descriptor: blocksName, labels: [("result", $0.rawValue)]))
        })
        submitLatency = registry.makeDurationHistogram(
            descriptor: Self.name("submitblock", unit: "seconds", "Latency of answered submitblock calls."),
            buckets: Self.submitBlockBuckets)
        sharechainHashrate = registry.makeGauge(descriptor: Self.name("sharechain_hashrate", "Hashes per second of the whole sharechain, last hour."))
        expectedBlockSeconds = registry.makeGauge(descriptor: Self.name("expected_block_seconds", "Expected seconds to the pool's next block."))
        roundEffort = registry.makeGauge(descriptor: Self.name("round_effort_percent", "This node's miners' work in the current round, percent of one block's expected work."))
    }

    private static func name(_ metric: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tidepool", metricName: metric, unitName: unit, helpText: help)
    }

    // MARK: Sharechain

    /// A share was accepted into the sharechain.
    public func shareAccepted(source: ShareSource) {
        shares.increment()
        accepted[source]?.increment()
    }

    /// A share was not accepted; `reason` is a short snake_case rule name.
    public func shareRejected(source: ShareSource, reason: String) {
        counter(Self.name("shares_rejected", unit: "total", "Shares not accepted into the sharechain, by source and reason."),
                labels: [("source", source.rawValue), ("reason", reason)]).increment()
    }

    /// A miner's `mining.submit` was answered: `result` is `accepted` or the snake_case
    /// reject reason (`stale`, `low_difficulty`, `duplicate`, …).
    public func stratumSubmit(result: String) {
        counter(Self.name("stratum_submits", unit: "total", "Miners' mining.submit answers: accepted or the reject reason."),
                labels: [("result", result)]).increment()
    }

    /// The counter of `descriptor` with `labels`, registered on first use.
    private func counter(_ descriptor: MetricNameDescriptor, labels: [(String, String)]) -> Counter {
        let key = ([descriptor.name] + labels.flatMap { [$0.0, $0.1] }).joined(separator: "\u{0}")
        return labeled.withLockedValue { counters -> Counter in
            if let c = counters[key] { return c }
            let c = registry.makeCounter(descriptor: descriptor, labels: labels)
            counters[key] = c
            return c
        }
    }

    /// A share was kept as an orphan (its parent is unknown yet).
    public func shareOrphaned(source: ShareSource) { orphaned[source]?.increment() }

    /// `count` shares were pruned.
    public func sharesPruned(_ count: Int) { if count > 0 { pruned.increment(by: Int64(count)) } }

    /// Sets the number of shares the sharechain holds.
    public func setStoredShares(_ count: Int) { storeShares.set(Int64(count)) }

    /// Sets the best share's height.
    public func setTipHeight(_ height: UInt32) { tipHeight.set(Int64(height)) }

    // MARK: Peers

    /// Sets the number of established peer connections.
    public func setPeerCount(_ count: Int) { peers.set(Int64(count)) }

    /// Sets whether the initial sync is done.
    public func setSynced(_ isSynced: Bool) { synced.set(Int64(isSynced ? 1 : 0)) }

    // MARK: Blocks

    /// A block found by this node's miners was handed to the submitter.
    public func blockFound() { blocks.increment() }

    /// `submitblock` finished for a block (ours or a peer's); `latency` for answered calls.
    public func blockSubmitted(_ result: BlockResult, latency: Duration? = nil) {
        blockResults[result]?.increment()
        if let latency { submitLatency.record(latency) }
    }

    // MARK: Display

    /// Sets the miners' combined hashrate, hashes per second.
    public func setHashrate(_ hashesPerSecond: Double) { hashrate.set(hashesPerSecond) }

    /// Sets the statistics gauges from a `/api/v1/stats` report (display only).
    public func setStatistics(_ report: PoolStatisticsReport) {
        sharechainHashrate.set(report.sharechain.hashrate.last?.hashesPerSecond ?? 0)
        expectedBlockSeconds.set(report.nextBlock?.expectedSeconds ?? 0)
        roundEffort.set(report.round?.effortPercent ?? 0)
        if let fiveMinutes = report.nodeMiners.hashrate.first(where: { $0.windowSeconds == 300 }) {
            hashrate.set(fiveMinutes.hashesPerSecond)
        }
    }
}
