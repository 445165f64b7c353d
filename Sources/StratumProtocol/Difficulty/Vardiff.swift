import BitcoinPrimitives

/// One connection's variable difficulty: a pure state machine fed with the times of
/// accepted pseudo-shares. Integer arithmetic only.
public struct Vardiff: Sendable, Hashable {
    /// The rules.
    public let policy: VardiffPolicy
    /// The difficulty in force for new jobs.
    public private(set) var difficulty: StratumDifficulty
    private var windowStart: ContinuousClock.Instant
    private var count: UInt64 = 0

    /// Starts at the policy's initial difficulty.
    public init(policy: VardiffPolicy, now: ContinuousClock.Instant) {
        self.policy = policy
        self.difficulty = policy.clamp(policy.initial)
        self.windowStart = now
    }

    /// Sets the difficulty (clamped by the policy) and restarts the measurement;
    /// returns the difficulty now in force.
    @discardableResult
    public mutating func set(_ requested: StratumDifficulty, now: ContinuousClock.Instant) -> StratumDifficulty {
        difficulty = policy.clamp(requested)
        windowStart = now
        count = 0
        return difficulty
    }

    /// Counts one accepted pseudo-share; returns the new difficulty if it retargeted.
    public mutating func recordShare(now: ContinuousClock.Instant) -> StratumDifficulty? {
        count += 1
        return evaluate(now: now)
    }

    /// Retargets if the measurement so far calls for it (also useful with no shares,
    /// to lower the difficulty of a miner that went quiet); returns the new difficulty
    /// if it changed.
    public mutating func evaluate(now: ContinuousClock.Instant) -> StratumDifficulty? {
        let elapsed = Vardiff.milliseconds(now - windowStart)
        guard elapsed >= Vardiff.milliseconds(policy.minimumRetargetInterval) else { return nil }
        let windowDone = elapsed >= Vardiff.milliseconds(policy.window)
        guard windowDone || count >= policy.sampleSize else { return nil }
        // rate (shares/min) = count × 60,000 / elapsed; compare without dividing.
        let perMinuteScaled = UInt256(count).multiplied(by: 60_000)
        let low = UInt256(policy.acceptableSharesPerMinute.lowerBound).multiplied(by: elapsed)
        let high = UInt256(policy.acceptableSharesPerMinute.upperBound).multiplied(by: elapsed)
        if perMinuteScaled >= low && perMinuteScaled <= high {
            if windowDone { windowStart = now; count = 0 }
            return nil
        }
        let raw = UInt256(difficulty.raw)
        let factor = UInt256(policy.maximumFactor)
        // new = old × rate / target = old × count × 60,000 / (elapsed × target)
        var proposed = raw * perMinuteScaled / UInt256(elapsed).multiplied(by: policy.targetSharesPerMinute)
        proposed = Swift.min(Swift.max(proposed, raw / factor), raw * factor)
        let next = policy.clamp(StratumDifficulty(raw: proposed.w2 == 0 && proposed.w3 == 0
                                                  ? UInt128(proposed.w1) << 64 | UInt128(proposed.w0) : .max))
        windowStart = now
        count = 0
        guard next != difficulty else { return nil }
        difficulty = next
        return next
    }

    static func milliseconds(_ d: Duration) -> UInt64 {
        let (seconds, attoseconds) = d.components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1000 + UInt64(attoseconds / 1_000_000_000_000_000)
    }
}
