import BitcoinPrimitives

/// Per-peer rate limits, in items per message kind. Generous enough for a full
/// sync at thousands of shares per second; a flood beyond them is misbehaviour.
public struct PeerRateLimits: Sendable {
    /// Shares received (count).
    public var shares = TokenBucket(capacity: 4_000, perSecond: 20_000)
    /// Hashes announced in `inv`.
    public var inv = TokenBucket(capacity: 4_000, perSecond: 2_000)
    /// Hashes requested in `getshares`.
    public var getshares = TokenBucket(capacity: 4_000, perSecond: 20_000)
    /// `getlocator` requests.
    public var getlocator = TokenBucket(capacity: 20, perSecond: 10)
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
