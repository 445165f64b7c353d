import BitcoinPrimitives

/// The statistics the dashboard shows, fed one `StatisticsSample` a minute: per
/// worker, per payout address, for this node's miners together and for the whole
/// sharechain, plus the luck of found blocks. Pure and deterministic (time comes in
/// with the samples).
///
/// The first sample is the baseline: its counters are remembered, nothing is
/// counted. Every later sample adds each connection's counters minus its previous
/// ones (all of them for a new connection) to the minute the sample was taken in.
/// A connection's last part-minute before it closes is not counted. Subjects idle
/// for a week are dropped and at most `maximumSubjects` addresses and workers are
/// tracked, so storage stays bounded.
public struct StatisticsBook: Sendable {
    /// This node's miners together.
    public private(set) var pool = StatisticsSeries()
    /// The whole sharechain: chain work and shares added per minute.
    public private(set) var sharechain = StatisticsSeries()
    /// Per payout address.
    public private(set) var addresses: [String: StatisticsSeries] = [:]
    /// Per worker.
    public private(set) var workers: [WorkerKey: StatisticsSeries] = [:]
    /// Luck of the blocks seen, oldest first (at most `maximumBlocks`).
    public private(set) var blocks: [BlockLuck] = []
    /// Time of the baseline sample, nil before it.
    public private(set) var baselineTime: UInt64?
    /// Time of the newest sample.
    public private(set) var lastTime: UInt64?
    /// Time of the first sample with a non-empty sharechain (the sharechain series' baseline).
    public private(set) var sharechainBaselineTime: UInt64?
    /// The newest sample's template target.
    public private(set) var networkTarget: UInt256?
    /// Connections seen in the newest sample.
    public private(set) var connectedWorkers: Set<WorkerKey> = []
    /// Work of this node's miners since the baseline, exact.
    public private(set) var cumulativeHashes: UInt128 = 0
    /// `cumulativeHashes` when the last block was found (0 before one).
    public private(set) var roundStartHashes: UInt128 = 0

    private var previous: [UInt64: WorkerCounters] = [:]
    private var previousChainWork: UInt256?
    private var previousChainHeight: UInt32?
    private var seenBlocks: Set<BlockHash> = []
    /// Blocks found before this time were trimmed from `blocks` (and `seenBlocks`).
    private var trimmedBefore: UInt64 = 0

    /// Found blocks remembered for luck.
    public static let maximumBlocks = 1000
    /// At most this many addresses and this many workers have series (about 18 KB
    /// each); work of further ones counts only toward `pool`.
    public static let maximumSubjects = 2000
    /// Subjects idle this long are dropped (one week).
    public static let retentionSeconds: UInt64 = 7 * 86_400

    /// An empty book.
    public init() {}

    /// Adds one sample. Samples must come in time order; an older one is ignored.
    public mutating func record(_ sample: StatisticsSample) {
        if let last = lastTime, sample.time < last { return }
        let isBaseline = baselineTime == nil
        if isBaseline { baselineTime = sample.time }
        let interval = (start: lastTime ?? sample.time, startHashes: cumulativeHashes)
        lastTime = sample.time
        if let target = sample.networkTarget { networkTarget = target }
        recordWorkers(sample, count: !isBaseline)
        recordSharechain(sample, count: !isBaseline)
        recordBlocks(sample.foundBlocks, afterBaseline: !isBaseline,
                     interval: BlockInterval(start: interval.start, end: sample.time,
                                             startHashes: interval.startHashes, endHashes: cumulativeHashes))
        prune(now: sample.time)
    }

    /// Minutes observed since the baseline (the divisor of the hash-rate windows).
    public var coveredMinutes: UInt64 {
        guard let b = baselineTime, let l = lastTime else { return 0 }
        return l / 60 - b / 60
    }

    /// Minutes of the sharechain series since its own baseline.
    public var sharechainCoveredMinutes: UInt64 {
        guard let b = sharechainBaselineTime, let l = lastTime else { return 0 }
        return l / 60 - b / 60
    }

    private mutating func recordWorkers(_ sample: StatisticsSample, count: Bool) {
        var next: [UInt64: WorkerCounters] = [:]
        var connected: Set<WorkerKey> = []
        for w in sample.workers {
            next[w.connectionID] = w
            let key = WorkerKey(address: w.address, worker: w.worker)
            connected.insert(key)
            guard count else { continue }
            let d = w.delta(since: previous[w.connectionID])
            guard !d.isEmpty else { continue }
            pool.record(d, at: sample.time)
            if addresses[w.address] != nil || addresses.count < Self.maximumSubjects {
                addresses[w.address, default: StatisticsSeries()].record(d, at: sample.time)
            }
            if workers[key] != nil || workers.count < Self.maximumSubjects {
                workers[key, default: StatisticsSeries()].record(d, at: sample.time)
            }
            cumulativeHashes = cumulativeHashes.addingReportingOverflow(d.hashes).overflow ? .max : cumulativeHashes + d.hashes
        }
        previous = next
        connectedWorkers = connected
    }

    private mutating func recordSharechain(_ sample: StatisticsSample, count: Bool) {
        guard let work = sample.chainWork, let height = sample.chainHeight else { return }
        if sharechainBaselineTime == nil { sharechainBaselineTime = sample.time }
        defer { previousChainWork = work; previousChainHeight = height }
        guard count, let pw = previousChainWork, let ph = previousChainHeight, work > pw else { return }
        let added = work - pw
        let hashes = added.bitLength > 128 ? UInt128.max : UInt128(added.w1) << 64 | UInt128(added.w0)
        let shares = height > ph ? UInt64(height - ph) : 0
        sharechain.record(StatisticsBucket(hashes: hashes, accepted: shares), at: sample.time)
    }

    private mutating func recordBlocks(_ found: [FoundBlockInfo], afterBaseline: Bool, interval: BlockInterval) {
        for block in found.sorted(by: { ($0.foundAt, $0.height) < ($1.foundAt, $1.height) })
        where !seenBlocks.contains(block.hash) && block.foundAt >= trimmedBefore {
            seenBlocks.insert(block.hash)
            let expected = Work.of(target: block.target)
            if afterBaseline {
                let partial = !blocks.contains { $0.workDone != nil }
                let atBlock = interval.hashes(at: block.foundAt)
                let done = atBlock > roundStartHashes ? atBlock - roundStartHashes : 0
                blocks.append(BlockLuck(block: block, expectedWork: expected, workDone: done, partialRound: partial))
                roundStartHashes = max(roundStartHashes, atBlock)
            } else {
                blocks.append(BlockLuck(block: block, expectedWork: expected, workDone: nil, partialRound: false))
            }
        }
        if blocks.count > Self.maximumBlocks {
            blocks.removeFirst(blocks.count - Self.maximumBlocks)
            // Bounded like `blocks`: older blocks are not taken again once trimmed.
            trimmedBefore = blocks.first?.block.foundAt ?? trimmedBefore
            seenBlocks = Set(blocks.map(\.block.hash))
        }
    }

    private mutating func prune(now: UInt64) {
        func stale(_ s: StatisticsSeries) -> Bool { (s.lastActivity ?? 0) + Self.retentionSeconds + 3600 <= now }
        addresses = addresses.filter { !stale($0.value) }
        workers = workers.filter { !stale($0.value) || connectedWorkers.contains($0.key) }
    }

    /// The round in progress: work since the last found block (or the baseline) against
    /// the current template's expected work; nil before a template.
    public var currentRound: LuckSummary? {
        guard let target = networkTarget else { return nil }
        return LuckSummary(blocks: 0, workDone: UInt256(cumulativeHashes - roundStartHashes),
                           expectedWork: Work.of(target: target))
    }
}

/// The work counter over one sampling interval, to place a block found inside it.
struct BlockInterval {
    var start: UInt64
    var end: UInt64
    var startHashes: UInt128
    var endHashes: UInt128

    /// The counter at `time`, interpolated linearly by time inside the interval
    /// (a block's round ends at its `found_at`, at the resolution of one sample).
    func hashes(at time: UInt64) -> UInt128 {
        guard end > start, time > start else { return time > start ? endHashes : startHashes }
        guard time < end else { return endHashes }
        let delta = endHashes - startHashes
        let (product, overflow) = delta.multipliedReportingOverflow(by: UInt128(time - start))
        let part = overflow ? delta / UInt128(end - start) * UInt128(time - start) : product / UInt128(end - start)
        return startHashes + part
    }
}
