import BitcoinPrimitives

/// What the collector reads once a minute: cumulative counters, never deltas (the
/// book takes the differences), so a missed minute loses nothing.
public struct StatisticsSample: Sendable, Hashable {
    /// When the sample was taken, Unix seconds.
    public var time: UInt64
    /// Every authorized Stratum connection's cumulative counters.
    public var workers: [WorkerCounters]
    /// The sharechain tip's cumulative chain work; nil while the chain is empty.
    public var chainWork: UInt256?
    /// The sharechain tip's height; nil while the chain is empty.
    public var chainHeight: UInt32?
    /// The current block template's target; nil before the first template.
    public var networkTarget: UInt256?
    /// The blocks this node's miners found (any order; the book remembers which it saw).
    public var foundBlocks: [FoundBlockInfo]

    /// Creates a sample.
    public init(time: UInt64, workers: [WorkerCounters], chainWork: UInt256? = nil, chainHeight: UInt32? = nil,
                networkTarget: UInt256? = nil, foundBlocks: [FoundBlockInfo] = []) {
        self.time = time
        self.workers = workers
        self.chainWork = chainWork
        self.chainHeight = chainHeight
        self.networkTarget = networkTarget
        self.foundBlocks = foundBlocks
    }
}

/// One Stratum connection's cumulative counters since it connected.
public struct WorkerCounters: Sendable, Hashable {
    /// Server-local connection number (a new number is a new connection).
    public var connectionID: UInt64
    /// Payout address text.
    public var address: String
    /// Worker name after the dot, if any.
    public var worker: String?
    /// Σ difficulty × 2^32 of accepted pseudo-shares (`WorkerStats.acceptedDifficultyRaw`).
    public var acceptedHashes: UInt128
    /// Accepted pseudo-shares.
    public var accepted: UInt64
    /// Submits rejected as stale.
    public var stale: UInt64
    /// Submits rejected for any other reason.
    public var rejected: UInt64

    /// Creates counters.
    public init(connectionID: UInt64, address: String, worker: String?, acceptedHashes: UInt128,
                accepted: UInt64, stale: UInt64 = 0, rejected: UInt64 = 0) {
        self.connectionID = connectionID
        self.address = address
        self.worker = worker
        self.acceptedHashes = acceptedHashes
        self.accepted = accepted
        self.stale = stale
        self.rejected = rejected
    }

    /// The counts since `previous` (the same connection's earlier sample), or all of
    /// them when there is none or a counter went backwards.
    func delta(since previous: WorkerCounters?) -> StatisticsBucket {
        guard let p = previous, p.acceptedHashes <= acceptedHashes, p.accepted <= accepted,
              p.stale <= stale, p.rejected <= rejected else {
            return StatisticsBucket(hashes: acceptedHashes, accepted: accepted, stale: stale, rejected: rejected)
        }
        return StatisticsBucket(hashes: acceptedHashes - p.acceptedHashes, accepted: accepted - p.accepted,
                                stale: stale - p.stale, rejected: rejected - p.rejected)
    }
}

/// A found block as the statistics need it.
public struct FoundBlockInfo: Sendable, Hashable {
    /// The block's hash.
    public var hash: BlockHash
    /// Its Bitcoin height.
    public var height: UInt32
    /// When it was found, Unix seconds.
    public var foundAt: UInt64
    /// Its header's target (expected work = 2^256 / (target + 1)).
    public var target: UInt256

    /// Creates the info.
    public init(hash: BlockHash, height: UInt32, foundAt: UInt64, target: UInt256) {
        self.hash = hash
        self.height = height
        self.foundAt = foundAt
        self.target = target
    }
}

/// A worker's identity in the statistics: payout address and worker name.
public struct WorkerKey: Sendable, Hashable, Comparable {
    /// Payout address text.
    public var address: String
    /// Worker name ("" when none).
    public var worker: String

    /// Creates a key.
    public init(address: String, worker: String?) {
        self.address = address
        self.worker = worker ?? ""
    }

    /// By address, then worker name.
    public static func < (a: WorkerKey, b: WorkerKey) -> Bool { (a.address, a.worker) < (b.address, b.worker) }
}
