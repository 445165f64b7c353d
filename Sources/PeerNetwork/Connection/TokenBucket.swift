import NIOCore

/// A token bucket: `capacity` tokens, refilled at `ratePerSecond`. Pure.
public struct TokenBucket: Sendable, Equatable {
    public let capacity: Double
    public let ratePerSecond: Double
    private var tokens: Double
    private var last: NIODeadline?

    public init(capacity: Double, ratePerSecond: Double) {
        self.capacity = capacity
        self.ratePerSecond = ratePerSecond
        tokens = capacity
    }

    /// Takes `count` tokens if available at `now`.
    public mutating func take(_ count: Double, now: NIODeadline) -> Bool {
        if let last {
            let elapsed = Double((now - last).nanoseconds) / 1e9
            tokens = min(capacity, tokens + max(0, elapsed) * ratePerSecond)
        }
        last = now
        guard tokens >= count else { return false }
        tokens -= count
        return true
    }
}

/// Per-peer rate limits, in items per message kind. Generous enough for a full
/// sync at thousands of shares per second; a flood beyond them is misbehaviour.
public struct PeerRateLimits: Sendable {
    /// Shares received (count).
    public var shares = TokenBucket(capacity: 4_000, ratePerSecond: 20_000)
    /// Hashes announced in `inv`.
    public var inv = TokenBucket(capacity: 4_000, ratePerSecond: 2_000)
    /// Hashes requested in `getshares`.
    public var getshares = TokenBucket(capacity: 4_000, ratePerSecond: 20_000)
    /// `getlocator` requests.
    public var getlocator = TokenBucket(capacity: 20, ratePerSecond: 10)
    /// Addresses in `addr` and `getaddr` requests.
    public var addr = TokenBucket(capacity: 2_000, ratePerSecond: 10)
    /// Relayed blocks.
    public var blocks = TokenBucket(capacity: 50, ratePerSecond: 5)
    /// `ping`s answered (an honest peer pings every 30 s; each one costs us a `pong`).
    public var pings = TokenBucket(capacity: 10, ratePerSecond: 1)
    /// Frames of unknown commands (skipped for forward compatibility; a flood of them is not).
    public var unknownCommands = TokenBucket(capacity: 10, ratePerSecond: 0.1)

    public init() {}
}
