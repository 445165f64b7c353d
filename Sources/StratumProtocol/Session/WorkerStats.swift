import BitcoinPrimitives
/// Why a submit was rejected, for statistics.
public enum StratumRejectReason: String, Sendable, Hashable, CaseIterable {
    case notSubscribed, unauthorized, invalidParams, jobNotFound, invalidVersionBits,
         stale, ntimeOutOfRange, lowDifficulty, duplicate
}

/// One connection's submit statistics.
public struct WorkerStats: Sendable, Hashable {
    /// Accepted pseudo-shares.
    public private(set) var accepted: UInt64 = 0
    /// Rejected submits by reason.
    public private(set) var rejected: [StratumRejectReason: UInt64] = [:]
    /// Accepted pseudo-shares that met the share target.
    public private(set) var shares: UInt64 = 0
    /// Submits that met the Bitcoin target.
    public private(set) var blocks: UInt64 = 0
    /// Sum of the difficulties of accepted pseudo-shares (fixed point, 2^-32 units).
    public private(set) var acceptedDifficultyRaw: UInt128 = 0
    /// When the last pseudo-share was accepted.
    public private(set) var lastAccepted: ContinuousClock.Instant?

    // Hashrate estimate: difficulty accepted in the current and the previous bucket.
    private var bucketStart: ContinuousClock.Instant?
    private var bucketRaw: UInt128 = 0
    private var previousBucketRaw: UInt128 = 0
    private var hasPreviousBucket = false
    /// Length of one hashrate bucket.
    public static let bucketLength: Duration = .seconds(300)

    /// Empty statistics.
    public init() {}

    /// Total rejected submits.
    public var rejectedTotal: UInt64 { rejected.values.reduce(0, +) }

    mutating func recordAccepted(_ difficulty: StratumDifficulty, now: ContinuousClock.Instant) {
        accepted += 1
        acceptedDifficultyRaw &+= difficulty.raw
        lastAccepted = now
        rollBuckets(now: now)
        bucketRaw &+= difficulty.raw
    }

    mutating func recordRejected(_ reason: StratumRejectReason) { rejected[reason, default: 0] += 1 }
    mutating func recordShare() { shares += 1 }
    mutating func recordBlock() { blocks += 1 }

    private mutating func rollBuckets(now: ContinuousClock.Instant) {
        guard let start = bucketStart else { bucketStart = now; return }
        let age = now - start
        if age >= Self.bucketLength * 2 {
            previousBucketRaw = 0
            bucketRaw = 0
            hasPreviousBucket = true
            bucketStart = now
        } else if age >= Self.bucketLength {
            previousBucketRaw = bucketRaw
            bucketRaw = 0
            hasPreviousBucket = true
            bucketStart = start + Self.bucketLength
        }
    }

    /// Estimated hashes per second over the last 5–10 minutes:
    /// accepted difficulty × 2^32 / time. Floating point, for display only.
    public func hashrate(now: ContinuousClock.Instant) -> Double {  // display only
        guard let start = bucketStart else { return 0 }
        var copy = self
        copy.rollBuckets(now: now)
        let current = now - (copy.bucketStart ?? start)
        var seconds = Double(current.components.seconds) + Double(current.components.attoseconds) / 1e18  // display only
        var raw = Double(copy.bucketRaw)  // display only
        if copy.hasPreviousBucket {
            seconds += 300
            raw += Double(copy.previousBucketRaw)
        }
        guard seconds >= 1 else { return 0 }
        return raw / seconds  // raw is difficulty × 2^32, i.e. expected hashes
    }
}
