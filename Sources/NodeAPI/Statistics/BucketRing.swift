/// Fixed-capacity ring of time buckets at one resolution: slot `(t / resolution) mod
/// capacity` holds the bucket starting at `t / resolution × resolution`, so storage is
/// bounded and a slot is reused once its interval falls out of the ring's span.
public struct BucketRing: Sendable, Hashable {
    /// Bucket length, seconds.
    public let resolution: UInt64
    /// Number of buckets kept (span = resolution × capacity).
    public let capacity: Int
    private var slots: [TimedBucket?]

    /// An empty ring.
    public init(resolution: UInt64, capacity: Int) {
        precondition(resolution > 0 && capacity > 0)
        self.resolution = resolution
        self.capacity = capacity
        slots = Array(repeating: nil, count: capacity)
    }

    /// Adds `bucket` to the interval containing Unix second `time`.
    public mutating func add(_ bucket: StatisticsBucket, at time: UInt64) {
        let index = time / resolution
        let start = index * resolution
        let slot = Int(index % UInt64(capacity))
        if var existing = slots[slot], existing.start == start {
            existing.bucket.add(bucket)
            slots[slot] = existing
        } else {
            slots[slot] = TimedBucket(start: start, seconds: resolution, bucket: bucket)
        }
    }

    /// The non-empty buckets of the ring's span ending with the interval containing
    /// `now`, oldest first (intervals with nothing recorded are omitted).
    public func buckets(endingAt now: UInt64) -> [TimedBucket] {
        let newest = now / resolution * resolution
        let span = resolution * UInt64(capacity)
        return slots.compactMap { $0 }
            .filter { $0.start <= newest && newest - $0.start < span }
            .sorted { $0.start < $1.start }
    }

    /// The sum of the buckets whose start lies in `(now - seconds, now]` at this
    /// ring's resolution.
    public func sum(lastSeconds seconds: UInt64, endingAt now: UInt64) -> StatisticsBucket {
        var total = StatisticsBucket.zero
        let newest = now / resolution * resolution
        for b in buckets(endingAt: now) where newest - b.start < seconds { total.add(b.bucket) }
        return total
    }

    /// Start of the newest recorded bucket, if any.
    public var newestStart: UInt64? { slots.compactMap { $0?.start }.max() }
}
