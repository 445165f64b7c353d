/// What miners did in one time bucket: exact counts and the expected hashes behind
/// the accepted pseudo-shares.
///
/// `hashes` is the sum of the accepted pseudo-shares' difficulties × 2^32 (Stratum
/// difficulty 1 ≈ 2^32 hashes), i.e. `StratumDifficulty.raw` summed, exact. For the
/// sharechain series it is the chain work added and `accepted` the shares added.
public struct StatisticsBucket: Sendable, Hashable {
    /// Expected hashes (sum of difficulty × 2^32), exact.
    public var hashes: UInt128
    /// Accepted pseudo-shares (sharechain series: shares).
    public var accepted: UInt64
    /// Submits rejected as stale.
    public var stale: UInt64
    /// Submits rejected for any other reason.
    public var rejected: UInt64

    /// A bucket with the given counts.
    public init(hashes: UInt128 = 0, accepted: UInt64 = 0, stale: UInt64 = 0, rejected: UInt64 = 0) {
        self.hashes = hashes
        self.accepted = accepted
        self.stale = stale
        self.rejected = rejected
    }

    /// An empty bucket.
    public static let zero = StatisticsBucket()

    /// Adds another bucket's counts (saturating; never traps).
    public mutating func add(_ other: StatisticsBucket) {
        let (h, o) = hashes.addingReportingOverflow(other.hashes)
        hashes = o ? .max : h
        accepted = accepted.addingReportingOverflow(other.accepted).overflow ? .max : accepted + other.accepted
        stale = stale.addingReportingOverflow(other.stale).overflow ? .max : stale + other.stale
        rejected = rejected.addingReportingOverflow(other.rejected).overflow ? .max : rejected + other.rejected
    }

    /// Whether nothing was counted.
    public var isEmpty: Bool { hashes == 0 && accepted == 0 && stale == 0 && rejected == 0 }
}

/// A bucket with the Unix second its interval starts at and its length.
public struct TimedBucket: Sendable, Hashable {
    /// Start of the interval, Unix seconds (a multiple of `seconds`).
    public var start: UInt64
    /// Length of the interval, seconds.
    public var seconds: UInt64
    /// The counts.
    public var bucket: StatisticsBucket

    /// Creates a timed bucket.
    public init(start: UInt64, seconds: UInt64, bucket: StatisticsBucket) {
        self.start = start
        self.seconds = seconds
        self.bucket = bucket
    }

    /// `hashes / seconds`, for display only.
    public var hashesPerSecond: Double { Double(bucket.hashes) / Double(max(seconds, 1)) }  // display only
}
