import BitcoinPrimitives

/// How a node sets each connection's Stratum difficulty.
///
/// The aim is `targetSharesPerMinute` pseudo-shares per minute (15); nothing changes
/// while the measured rate stays within `acceptableSharesPerMinute` (10–20).
/// A retarget happens at most every `minimumRetargetInterval`, and only once the
/// measurement means something: after `sampleSize` pseudo-shares or a full `window`.
/// Each retarget moves the difficulty by at most `maximumFactor` either way.
public struct VardiffPolicy: Sendable, Hashable {
    /// Difficulty of a new connection (before `d=N` or `mining.suggest_difficulty`).
    public var initial: StratumDifficulty
    /// The lowest difficulty ever sent.
    public var minimum: StratumDifficulty
    /// The highest difficulty ever sent.
    public var maximum: StratumDifficulty
    /// Whether difficulties are whole numbers (ASIC firmware parses integers).
    public var wholeNumbersOnly: Bool
    /// The rate aimed at, pseudo-shares per minute.
    public var targetSharesPerMinute: UInt64 = 15
    /// Rates that need no retarget, pseudo-shares per minute.
    public var acceptableSharesPerMinute: ClosedRange<UInt64> = 10...20
    /// No two retargets closer than this.
    public var minimumRetargetInterval: Duration = .seconds(10)
    /// A measurement is judged after at most this long, even with few pseudo-shares.
    public var window: Duration = .seconds(60)
    /// A measurement is judged early once this many pseudo-shares arrived.
    public var sampleSize: UInt64 = 20
    /// The most a retarget multiplies or divides the difficulty by.
    public var maximumFactor: UInt64 = 4

    /// Creates a policy.
    public init(initial: StratumDifficulty, minimum: StratumDifficulty, maximum: StratumDifficulty,
                wholeNumbersOnly: Bool) {
        self.initial = initial
        self.minimum = minimum
        self.maximum = maximum
        self.wholeNumbersOnly = wholeNumbersOnly
    }

    /// The defaults for a Bitcoin network: whole numbers ≥ 1 (start 1024 on mainnet, 1 on the
    /// public test networks); on regtest (and so devnet, which mines regtest) fractions down to 1/65536, starting
    /// at 1/512 (2^23 hashes: about 1 s of one cpuminer 2.5.1 thread at ~8 MH/s, 5 s of
    /// one `tidepool mine` thread), so a CPU miner settles at 10–20 pseudo-shares a
    /// minute within a couple of retargets instead of flooding the node (on regtest
    /// nearly every pseudo-share is also a block).
    public static func standard(for network: BitcoinNetwork) -> VardiffPolicy {
        let maximum = StratumDifficulty(UInt64(1) << 52)
        switch network {
        case .mainnet:
            return VardiffPolicy(initial: StratumDifficulty(1024), minimum: .one, maximum: maximum, wholeNumbersOnly: true)
        case .testnet4, .signet:
            return VardiffPolicy(initial: .one, minimum: .one, maximum: maximum, wholeNumbersOnly: true)
        case .regtest:
            return VardiffPolicy(initial: StratumDifficulty(numerator: 1, denominator: 512)!,
                                 minimum: StratumDifficulty(numerator: 1, denominator: 65536)!,
                                 maximum: maximum, wholeNumbersOnly: false)
        }
    }

    /// `difficulty` brought within `minimum…maximum` and, if required, to a whole number.
    public func clamp(_ difficulty: StratumDifficulty) -> StratumDifficulty {
        var d = Swift.min(Swift.max(difficulty, minimum), maximum)
        if wholeNumbersOnly { d = d.wholeRoundedDown }
        return d
    }
}
