import BitcoinPrimitives

/// A per-connection request budget: a token bucket of `capacity` (burst) requests
/// refilled at `refillTokens` per `refillInterval`, one token per request. Pure: the
/// session passes the time since the connection opened.
///
/// An honest miner sends a few requests at connect and then 10–20 submits a minute
/// (vardiff); the defaults leave two to three orders of magnitude of headroom, while a
/// client flooding well-formed requests (measured: 1.9 M in 10 s from 10 clients) is
/// answered with an error for each request beyond the budget, without hashing it, and
/// closed when it keeps going (Docs/STRATUM.md, "When a connection is closed").
public typealias RequestRateLimit = TokenBucket

extension TokenBucket {
    /// Stratum's default request budget: 1,000 at once, 200 per second.
    public static let stratumRequests = TokenBucket(capacity: 1_000, perSecond: 200)
}
