import BitcoinPrimitives

/// Per-peer rate limits, in items per message kind. Generous enough for a full
/// sync at thousands of shares per second; a flood beyond them is misbehaviour.
public struct PeerRateLimits: Sendable {
    /// Shares received (count). The refill is well above what one node validates (about
    /// 20,000–25,000 shares/s on two cores, Docs/BENCHMARKS.md): an honest sync must never
    /// meet it (at 20,000/s it did, and the dropped batch stalled the sync for 30 s).
    public var shares = TokenBucket(capacity: 4_000, perSecond: 60_000)
    /// Hashes announced in `inv`.
    public var inv = TokenBucket(capacity: 4_000, perSecond: 2_000)
    /// Hashes requested in `getshares` (as fast as the requester can validate, see `shares`).
    public var getshares = TokenBucket(capacity: 4_000, perSecond: 60_000)
    /// `getlocator` requests (and `getroot`/`root`). Each sync round asks one locator for up
    /// to 2,000 hashes, so a sync at the `shares` refill (60,000/s) sends 30 a second: the
    /// refill matches it. At 10/s a two-core sync at ~40,000 shares/s (20 rounds/s) emptied
    /// the bucket after ~2 s; the dropped locator was never answered and the sync stalled.
    public var getlocator = TokenBucket(capacity: 60, perSecond: 30)
    /// Addresses in `addr` and `getaddr` requests.
    public var addr = TokenBucket(capacity: 2_000, perSecond: 10)
    /// Relayed blocks.
    public var blocks = TokenBucket(capacity: 50, perSecond: 5)
    /// `ping`s answered (an honest peer pings every 30 s; each one costs us a `pong`).
    public var pings = TokenBucket(capacity: 10, perSecond: 1)
    /// Frames of unknown commands (skipped for forward compatibility; a flood of them is not).
    public var unknownCommands = TokenBucket(capacity: 10, refill: 1, every: .seconds(10))

    public init() {}
}
