/// One subject's history (a worker, a payout address, the node's miners, the
/// sharechain): the last hour per minute, the last day per 15 minutes and the last
/// week per hour, each a bounded `BucketRing`.
public struct StatisticsSeries: Sendable, Hashable {
    /// 60 one-minute buckets.
    public private(set) var hour = BucketRing(resolution: 60, capacity: 60)
    /// 96 fifteen-minute buckets.
    public private(set) var day = BucketRing(resolution: 900, capacity: 96)
    /// 168 one-hour buckets.
    public private(set) var week = BucketRing(resolution: 3600, capacity: 168)

    /// An empty series.
    public init() {}

    /// Records one minute's counts at Unix second `time`.
    public mutating func record(_ bucket: StatisticsBucket, at time: UInt64) {
        hour.add(bucket, at: time)
        day.add(bucket, at: time)
        week.add(bucket, at: time)
    }

    /// Hash-rate estimate over the last `minutes` one-minute buckets ending with the
    /// minute of `now`; `coveredMinutes` (≤ `minutes`) is how many of those minutes the
    /// book has observed, the divisor.
    public func hashrate(minutes: UInt64, coveredMinutes: UInt64, now: UInt64) -> HashrateEstimate {
        let sum = hour.sum(lastSeconds: minutes * 60, endingAt: now)
        return HashrateEstimate(windowSeconds: minutes * 60, coveredSeconds: min(minutes, coveredMinutes) * 60,
                                hashes: sum.hashes, samples: sum.accepted)
    }

    /// The last hour's counts.
    public func lastHour(now: UInt64) -> StatisticsBucket { hour.sum(lastSeconds: 3600, endingAt: now) }

    /// Unix second of the newest bucket, if anything was recorded.
    public var lastActivity: UInt64? { week.newestStart }
}
