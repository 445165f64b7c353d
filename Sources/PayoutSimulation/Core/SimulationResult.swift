/// One miner's outcome under one scheme.
public struct MinerOutcome: Sendable {
    /// Satoshis received over the run.
    public var earnings = 0.0
    /// Sum over blocks of the per-block revenue and of its square (satoshis): the variance.
    var sumSquares = 0.0
    /// Blocks in which the miner received something.
    public var paidBlocks = 0
    /// Seconds from joining to the first payout (nil: never paid).
    public var firstPayout: Double?
    /// TIDES: blocks with an output of its own, lottery wins, satoshis won in the lottery,
    /// and the seconds from joining to the first of each.
    public var directOutputs = 0
    public var lotteryWins = 0
    public var lotteryEarnings = 0.0
    public var firstDirectOutput: Double?
    public var firstLotteryWin: Double?
    /// Earnings over the fair value `V × work / work(N)` (1 = paid exactly for the work).
    public var fairness = 0.0
    /// Rubin's normalised variance: the variance over blocks of `R / E[R]`, where `E[R]` is the
    /// miner's expected revenue per pool block (its share of the pool's work × V).
    public var normalisedVariance = 0.0
}

/// A miner as simulated.
public struct MinerSummary: Sendable {
    public var spec: MinerSpec
    /// Shares submitted to the pool, and their work (hashes).
    public var shares = 0
    public var work = 0.0
    /// The fair reward for that work, `V × work / work(N)` (satoshis).
    public var fair = 0.0
}

/// One scheme's results.
public struct SchemeResult: Sendable {
    public var kind: SchemeKind
    public var miners: [MinerOutcome]
    /// Payout outputs per block: mean and maximum.
    public var outputsPerBlock = 0.0
    public var maxOutputsPerBlock = 0
    /// Fraction of all rewards paid through the lottery (TIDES only).
    public var lotteryFraction = 0.0
    /// Blocks whose coinbase held a lottery output.
    public var lotteryBlocks = 0
    /// Hoppers' earnings per unit work over honest miners' (nil without hoppers).
    public var hopperAdvantage: Double?
    /// Work-weighted mean of |fairness − 1| over honest miners.
    public var meanFairnessError = 0.0
    /// Hash-rate-weighted mean normalised variance over honest miners who mined the whole run.
    public var meanNormalisedVariance = 0.0
    /// Median seconds to first payout over honest miners present from the start (nil if under half were paid).
    public var medianFirstPayout: Double?
    /// Fraction of honest miners present from the start that received nothing.
    public var neverPaidFraction = 0.0
    /// Cumulative earnings of the tracked miners at each sample point (same order as `trackedMiners`).
    public var cumulativeEarnings: [[Double]] = []
}

/// The whole run.
public struct SimulationResult: Sendable {
    public var seed: UInt64
    public var blocks = 0
    public var shares = 0
    /// Simulated seconds.
    public var duration = 0.0
    /// Blocks expected from the shares submitted (`Σ p`): `blocks / expectedBlocks` is the pool's luck.
    public var expectedBlocks = 0.0
    public var networkDifficulty = 0.0
    public var shareDifficulty = 0.0
    public var reward = 0.0
    public var miners: [MinerSummary] = []
    public var schemes: [SchemeResult] = []
    /// Indices of the miners whose cumulative earnings are sampled.
    public var trackedMiners: [Int] = []
    /// Block counts at the sample points, and each tracked miner's cumulative work there.
    public var sampleBlocks: [Int] = []
    public var cumulativeWork: [[Double]] = []
}
