import BitcoinPrimitives
import TIDES

extension StatisticsBook {
    /// Hash-rate windows, minutes.
    public static let hashrateWindows: [UInt64] = [1, 5, 60]

    /// A series' report at the newest sample; `hour` and `dayAndWeek` select the rings included.
    /// `covered` is the divisor's minutes (default: since the baseline).
    public func report(_ series: StatisticsSeries, covered: UInt64? = nil, hour: Bool = true,
                       dayAndWeek: Bool = true) -> SeriesReport {
        let now = lastTime ?? 0
        let minutes = covered ?? coveredMinutes
        return SeriesReport(
            hashrate: Self.hashrateWindows.map { series.hashrate(minutes: $0, coveredMinutes: minutes, now: now) },
            lastHour: series.lastHour(now: now),
            hour: hour ? series.hour.buckets(endingAt: now) : [],
            day: dayAndWeek ? series.day.buckets(endingAt: now) : [],
            week: dayAndWeek ? series.week.buckets(endingAt: now) : [])
    }

    /// The expected time to the next block from the last hour's rates.
    public var nextBlock: NextBlockEstimate? {
        guard let target = networkTarget else { return nil }
        let now = lastTime ?? 0
        let chain = sharechain.hashrate(minutes: 60, coveredMinutes: sharechainCoveredMinutes, now: now).hashesPerSecond
        let miners = pool.hashrate(minutes: 60, coveredMinutes: coveredMinutes, now: now).hashesPerSecond
        return NextBlockEstimate(networkTarget: target, sharechainRate: chain, nodeMinersRate: miners)
    }

    /// `GET /api/v1/stats`.
    public func poolReport() -> PoolStatisticsReport {
        let now = lastTime ?? 0
        return PoolStatisticsReport(
            time: lastTime, coveredMinutes: coveredMinutes, nodeMiners: report(pool), sharechain: report(sharechain, covered: sharechainCoveredMinutes),
            connectedWorkers: connectedWorkers.count, addresses: addresses.count, nextBlock: nextBlock,
            blocks: blocks.reversed(), round: currentRound,
            luckDay: LuckSummary.of(blocks, since: now >= 86_400 ? now - 86_400 : 0),
            luckWeek: LuckSummary.of(blocks, since: now >= Self.retentionSeconds ? now - Self.retentionSeconds : 0),
            luckAll: LuckSummary.of(blocks))
    }

    /// `GET /api/v1/miners/ADDRESS`: nil when the address has no statistics, no open
    /// connection and no work in `split`'s window.
    public func minerReport(address: String, script: Script, split: TidesSplit?) -> MinerStatisticsReport? {
        let payout = split.map { PayoutOutlook(script: script, split: $0) }
        let inWindow = payout.map { !$0.windowWork.isZero } ?? false
        let connected = connectedWorkers.filter { $0.address == address }
        guard addresses[address] != nil || inWindow || !connected.isEmpty else { return nil }
        let keys = Set(workers.keys.filter { $0.address == address }).union(connected).sorted()
        let workerReports = keys.map {
            WorkerStatisticsReport(worker: $0.worker, connected: connected.contains($0),
                                   series: report(workers[$0] ?? StatisticsSeries(), hour: true, dayAndWeek: false))
        }
        return MinerStatisticsReport(address: address, time: lastTime, series: report(addresses[address] ?? StatisticsSeries()),
                                     workers: workerReports, payout: payout, nextBlock: nextBlock)
    }
}
