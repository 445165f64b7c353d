/// A token bucket: at most `capacity` tokens, refilled by `refillTokens` every
/// `refillInterval`; taking more than are left fails and takes nothing.
///
/// Pure and exact: tokens are counted in billionths (integers, no floating point), and
/// the caller passes the time as a monotonic `Duration` since any origin it keeps fixed
/// for the bucket (a connection's opening, a clock's uptime). Time that runs backwards
/// refills nothing and is not remembered. One type for every rate limit in the node:
/// Stratum's per-connection request budget and the per-peer message limits.
public struct TokenBucket: Sendable, Equatable {
    /// Tokens held when full (and at the start).
    public let capacity: Int64
    /// Tokens added every `refillInterval`.
    public let refillTokens: Int64
    /// The interval `refillTokens` are added in.
    public let refillInterval: Duration
    /// Available tokens, in billionths.
    private var nanoTokens: Int64
    /// The latest time seen.
    private var last: Duration?

    private static let scale: Int64 = 1_000_000_000

    /// A full bucket of `capacity` tokens refilled by `tokens` every `interval`
    /// (e.g. 1 every 10 s for 0.1 per second).
    public init(capacity: Int64, refill tokens: Int64, every interval: Duration) {
        precondition(capacity > 0 && capacity <= Int64.max / Self.scale && tokens > 0 && interval > .zero)
        self.capacity = capacity
        self.refillTokens = tokens
        self.refillInterval = interval
        nanoTokens = capacity * Self.scale
    }

    /// A full bucket of `capacity` tokens refilled at `perSecond` tokens a second.
    public init(capacity: Int64, perSecond: Int64) {
        self.init(capacity: capacity, refill: perSecond, every: .seconds(1))
    }

    /// Tokens available now (whole tokens, rounded down), as of the last `take`.
    public var available: Int64 { nanoTokens / Self.scale }

    /// Takes `count` tokens at `now` if that many are available; false (taking none) otherwise.
    public mutating func take(_ count: Int64 = 1, at now: Duration) -> Bool {
        if let last, now > last {
            let full = Int128(capacity) * Int128(Self.scale)
            let interval = Self.nanoseconds(refillInterval)
            // Saturating: time beyond the bucket's fill time adds nothing (and cannot overflow).
            let fill = interval * (Int128(capacity / refillTokens) + 1)
            let elapsed = Swift.min(Self.nanoseconds(now - last), fill)
            let added = elapsed * Int128(refillTokens) * Int128(Self.scale) / interval
            nanoTokens = Int64(Swift.min(full, Int128(nanoTokens) + added))
        }
        if last.map({ now > $0 }) ?? true { last = now }
        let (cost, overflow) = count.multipliedReportingOverflow(by: Self.scale)
        guard count >= 0, !overflow, nanoTokens >= cost else { return false }
        nanoTokens -= cost
        return true
    }

    private static func nanoseconds(_ d: Duration) -> Int128 {
        let c = d.components
        return Int128(c.seconds) * 1_000_000_000 + Int128(c.attoseconds / 1_000_000_000)
    }
}
