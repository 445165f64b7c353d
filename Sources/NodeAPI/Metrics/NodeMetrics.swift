import Prometheus

/// The node's Prometheus metrics, registered in a registry the caller owns (no
/// global `MetricsSystem`). The node updates them; `GET /metrics` emits the registry.
///
/// | metric | kind |
/// | --- | --- |
/// | `tidepool_shares_total` | counter: shares accepted into the sharechain |
/// | `tidepool_tip_height` | gauge: height of the best share |
/// | `tidepool_peers` | gauge: connected peers |
/// | `tidepool_hashrate` | gauge: hashes per second of the node's miners |
/// | `tidepool_blocks_found_total` | counter: Bitcoin blocks found |
/// | `tidepool_sharechain_hashrate` | gauge: the whole sharechain's hashes per second, last hour (statistics) |
/// | `tidepool_expected_block_seconds` | gauge: expected seconds to the pool's next block (statistics) |
/// | `tidepool_round_effort_percent` | gauge: this node's miners' work in the current round / expected (statistics) |
public final class NodeMetrics: Sendable {
    /// The registry `/metrics` emits.
    public let registry: PrometheusCollectorRegistry
    private let shares: Counter
    private let tipHeight: Gauge
    private let peers: Gauge
    private let hashrate: Gauge
    private let blocks: Counter
    private let sharechainHashrate: Gauge
    private let expectedBlockSeconds: Gauge
    private let roundEffort: Gauge

    /// Registers the node's metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        shares = registry.makeCounter(descriptor: Self.name("shares", unit: "total", "Shares accepted into the sharechain."))
        tipHeight = registry.makeGauge(descriptor: Self.name("tip_height", "Height of the best share."))
        peers = registry.makeGauge(descriptor: Self.name("peers", "Connected peers."))
        hashrate = registry.makeGauge(descriptor: Self.name("hashrate", "Hashes per second of this node's miners."))
        blocks = registry.makeCounter(descriptor: Self.name("blocks_found", unit: "total", "Bitcoin blocks found."))
        sharechainHashrate = registry.makeGauge(descriptor: Self.name("sharechain_hashrate", "Hashes per second of the whole sharechain, last hour."))
        expectedBlockSeconds = registry.makeGauge(descriptor: Self.name("expected_block_seconds", "Expected seconds to the pool's next block."))
        roundEffort = registry.makeGauge(descriptor: Self.name("round_effort_percent", "This node's miners' work in the current round, percent of one block's expected work."))
    }

    private static func name(_ metric: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tidepool", metricName: metric, unitName: unit, helpText: help)
    }

    /// Counts shares accepted into the chain.
    public func sharesAccepted(_ count: Int = 1) { shares.increment(by: Int64(count)) }
    /// Sets the best share's height.
    public func setTipHeight(_ height: UInt32) { tipHeight.set(Int64(height)) }
    /// Sets the number of connected peers.
    public func setPeerCount(_ count: Int) { peers.set(Int64(count)) }
    /// Sets the miners' combined hashrate, hashes per second.
    public func setHashrate(_ hashesPerSecond: Double) { hashrate.set(hashesPerSecond) }
    /// Counts a found block.
    public func blockFound() { blocks.increment() }

    /// Sets the statistics gauges from a `/api/v1/stats` report (display only).
    public func setStatistics(_ report: PoolStatisticsReport) {
        sharechainHashrate.set(report.sharechain.hashrate.last?.hashesPerSecond ?? 0)
        expectedBlockSeconds.set(report.nextBlock?.expectedSeconds ?? 0)
        roundEffort.set(report.round?.effortPercent ?? 0)
    }
}
