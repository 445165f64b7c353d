/// One subject's numbers for the API: hash-rate windows, last-hour counts, history.
public struct SeriesReport: Sendable, Hashable {
    /// Estimates over 1, 5 and 60 minutes.
    public var hashrate: [HashrateEstimate]
    /// Counts of the last hour.
    public var lastHour: StatisticsBucket
    /// Per-minute buckets of the last hour, oldest first (empty minutes omitted).
    public var hour: [TimedBucket]
    /// Per-15-minute buckets of the last day.
    public var day: [TimedBucket]
    /// Per-hour buckets of the last week.
    public var week: [TimedBucket]

    /// Creates a report.
    public init(hashrate: [HashrateEstimate], lastHour: StatisticsBucket, hour: [TimedBucket] = [],
                day: [TimedBucket] = [], week: [TimedBucket] = []) {
        self.hashrate = hashrate
        self.lastHour = lastHour
        self.hour = hour
        self.day = day
        self.week = week
    }
}

/// `GET /api/v1/stats`.
public struct PoolStatisticsReport: Sendable, Hashable {
    /// Time of the newest sample, Unix seconds; nil before the first.
    public var time: UInt64?
    /// Minutes observed since the collector's baseline.
    public var coveredMinutes: UInt64
    /// This node's miners together.
    public var nodeMiners: SeriesReport
    /// The whole sharechain (chain work and shares per minute).
    public var sharechain: SeriesReport
    /// Workers connected at the newest sample.
    public var connectedWorkers: Int
    /// Payout addresses with statistics (active in the last week).
    public var addresses: Int
    /// Expected time to the next block; nil before a template.
    public var nextBlock: NextBlockEstimate?
    /// Found blocks' luck, newest first.
    public var blocks: [BlockLuck]
    /// The round in progress; nil before a template.
    public var round: LuckSummary?
    /// Complete rounds of the last day.
    public var luckDay: LuckSummary
    /// Complete rounds of the last week.
    public var luckWeek: LuckSummary
    /// All remembered complete rounds.
    public var luckAll: LuckSummary
}

/// One worker of `GET /api/v1/miners/ADDRESS`.
public struct WorkerStatisticsReport: Sendable, Hashable {
    /// Worker name ("" when none).
    public var worker: String
    /// Whether a connection of it was open at the newest sample.
    public var connected: Bool
    /// Its numbers (with the last hour's history).
    public var series: SeriesReport
}

/// `GET /api/v1/miners/ADDRESS`.
public struct MinerStatisticsReport: Sendable, Hashable {
    /// The address, as given.
    public var address: String
    /// Time of the newest sample.
    public var time: UInt64?
    /// The address's numbers; zeros when it has only TIDES window work.
    public var series: SeriesReport
    /// Its workers, by name.
    public var workers: [WorkerStatisticsReport]
    /// Its part of the split if a block were found now; nil without a template.
    public var payout: PayoutOutlook?
    /// Expected time for the pool to find a block, shared with `/stats`.
    public var nextBlock: NextBlockEstimate?

    /// Creates a report.
    public init(address: String, time: UInt64?, series: SeriesReport, workers: [WorkerStatisticsReport],
                payout: PayoutOutlook?, nextBlock: NextBlockEstimate?) {
        self.address = address
        self.time = time
        self.series = series
        self.workers = workers
        self.payout = payout
        self.nextBlock = nextBlock
    }
}
