/// A per-connection request budget: a token bucket of `burst` requests refilled at
/// `perSecond`, in whole requests (no floating point). Pure: the caller passes the time.
///
/// An honest miner sends a few requests at connect and then 10–20 submits a minute
/// (vardiff); the defaults leave two to three orders of magnitude of headroom, while a
/// client flooding well-formed requests (measured: 1.9 M in 10 s from 10 clients) is
/// answered with an error for each request beyond the budget, without hashing it, and
/// closed when it keeps going (Docs/STRATUM.md, "When a connection is closed").
public struct RequestRateLimit: Sendable, Equatable {
    /// Requests allowed at once.
    public let burst: Int64
    /// Requests refilled per second.
    public let perSecond: Int64
    /// Available tokens, in billionths of a request (so refills are exact integers).
    private var nanoTokens: Int64
    private var last: ContinuousClock.Instant?

    /// Default budget: 1,000 at once, 200 per second.
    public static let standard = RequestRateLimit(burst: 1_000, perSecond: 200)

    /// A full bucket.
    public init(burst: Int64, perSecond: Int64) {
        precondition(burst > 0 && perSecond > 0)
        self.burst = burst
        self.perSecond = perSecond
        nanoTokens = burst * 1_000_000_000
    }

    /// Takes one request's token at `now`; false when the budget is exhausted.
    public mutating func take(now: ContinuousClock.Instant) -> Bool {
        let capacity = burst * 1_000_000_000
        if let last, now > last {
            let elapsed = (now - last).components
            // Saturating refill: elapsed seconds beyond the bucket's fill time add nothing.
            let fillSeconds = burst / perSecond + 1
            if elapsed.seconds >= fillSeconds {
                nanoTokens = capacity
            } else {
                let nanos = elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000
                nanoTokens = Swift.min(capacity, nanoTokens + nanos * perSecond)
            }
        }
        if last.map({ now > $0 }) ?? true { last = now }
        guard nanoTokens >= 1_000_000_000 else { return false }
        nanoTokens -= 1_000_000_000
        return true
    }
}
