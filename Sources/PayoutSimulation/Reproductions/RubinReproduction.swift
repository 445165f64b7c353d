/// Jeremy Rubin's sharing-vs-solo simulation ("Trustless Coordination-Free Mining Pools",
/// 2019; seed document 000) with his parameters, through `RubinScheme`.
///
/// His setup, kept: 100 miners, hash rates `U^(1/1.5)` normalised, each sharing with
/// probability 1/2, 10,000 blocks after a bootstrap that runs until the first sharing block,
/// 143/144 of each sharing block passed on, a look-back of sharing blocks spanning less than
/// 144 block intervals (his queue: drop the oldest once per new block when the span reaches it),
/// block reward 12.5. Two substitutions: block intervals are Poisson(600) by its normal
/// approximation `round(600 + √600 · Z)` (his `np.random.poisson(600)`; the two differ by
/// less than 0.1 in skewness), and the generator is ours, so individual runs differ from his.
///
/// His statistic: per miner, the variance over blocks of revenue / max(E[R], 1) with
/// `E[R] = hash share × 12.5`; at these parameters every `E[R] < 1`, so it is the raw variance
/// in BTC. He prints `sqrt(mean over all miners of var × [group]) / 70` for each group; their
/// ratio is `sqrt(Σ var sharing / Σ var solo)`. We also report the scale-free normalised
/// variance `var(R / E[R])` per miner and its analytic expectation.
public enum RubinReproduction {
    public struct Parameters: Sendable {
        public var miners = 100
        public var sharingProbability = 0.5
        public var blocks = 10_000
        public var lookbackBlocks = 144.0
        public var sharedFraction = 143.0 / 144.0
        public var exponent = 1.5
        public var reward = 12.5
        public var interval = 600.0
        public init() {}
    }

    public struct Run: Sendable {
        public var seed: UInt64
        /// His two printed figures and their ratio (sharing / solo).
        public var printedSharing: Double
        public var printedSolo: Double
        public var printedRatio: Double { printedSharing / printedSolo }
        /// Mean over each group of `var(R / E[R])`, and the analytic expectation of the ratio.
        public var normalisedSharing: Double
        public var normalisedSolo: Double
        public var normalisedRatio: Double { normalisedSharing / normalisedSolo }
        /// Mean over sharing miners of simulated / analytic normalised variance (1 = as predicted).
        public var sharingVsAnalytic: Double
        /// Cumulative revenue / cumulative expected revenue per miner at sample blocks (his figure).
        public var sampleBlocks: [Int]
        public var normalisedCumulative: [[Double]]
        public var sharing: [Bool]
        public var hashShare: [Double]
    }

    /// One run of his simulation.
    public static func run(seed: UInt64, parameters p: Parameters = Parameters(), samples: Int = 200) -> Run {
        var rng = SimulationRandom(seed: seed)
        var h = (0..<p.miners).map { _ in SimulationMath.expo(SimulationMath.ln(rng.positiveUnit()) / p.exponent) }
        let total = h.reduce(0, +)
        h = h.map { $0 / total }
        let sharing = (0..<p.miners).map { _ in rng.unit() <= p.sharingProbability }
        var tree = HashrateTree(count: p.miners)
        for i in 0..<p.miners { tree.set(i, h[i]) }
        let scheme = RubinScheme(sharing: sharing, fraction: p.sharedFraction,
                                 lookback: .seconds(p.lookbackBlocks * p.interval), reward: p.reward)
        var payouts = BlockPayouts(miners: p.miners)
        var sum = Array(repeating: 0.0, count: p.miners), sq = sum, cum = sum
        var blocks = 0, time = 0.0, seenSharing = false, mainBlocks = 0
        var sampleBlocks: [Int] = [], curves = Array(repeating: [Double](), count: p.miners)
        let every = Swift.max(1, p.blocks / samples)
        while mainBlocks < p.blocks {
            let miner = tree.pick(rng.unit() * tree.total)
            time += (p.interval + p.interval.squareRoot() * rng.normal()).rounded()
            scheme.share(miner: miner, excess: 1, time: time, isBlock: true, payouts: &payouts)
            for i in payouts.touched { let a = payouts.amounts[i]; sum[i] += a; sq[i] += a * a; cum[i] += a }
            payouts.reset()
            blocks += 1
            if seenSharing { mainBlocks += 1 } else if sharing[miner] { seenSharing = true }
            if seenSharing && mainBlocks % every == 0 && mainBlocks > 0 {
                sampleBlocks.append(blocks)
                for i in 0..<p.miners { curves[i].append(cum[i] / Swift.max(Double(blocks) * h[i] * p.reward, 1e-300)) }
            }
        }
        let b = Double(blocks)
        var rawShare = 0.0, rawSolo = 0.0, nShare = 0.0, nSolo = 0.0, cShare = 0, cSolo = 0, vsAnalytic = 0.0
        let fShare = zip(h, sharing).reduce(0) { $0 + ($1.1 ? $1.0 : 0) }
        let s = p.sharedFraction
        for i in 0..<p.miners {
            let mean = sum[i] / b
            let variance = Swift.max(0, sq[i] / b - mean * mean)
            let norm = Swift.max(h[i] * p.reward, 1)
            let e = h[i] * p.reward
            let normalised = variance / (e * e)
            if sharing[i] {
                rawShare += variance / (norm * norm); nShare += normalised; cShare += 1
                // Revenue ≈ (its entries in the look-back, ~Poisson(L·q/f) with L ≈ lookback·f sharing blocks)
                // × s·V/L from each sharing block, plus (1 − s)·V when it finds a block.
                let q = h[i]
                let analytic = s * s / (p.lookbackBlocks * fShare * q) + s * s * (1 / fShare - 1) + (1 - s) * (1 - s) * (1 - q) / q
                vsAnalytic += normalised / analytic
            } else {
                rawSolo += variance / (norm * norm); nSolo += normalised; cSolo += 1
            }
        }
        let m = Double(p.miners)
        return Run(seed: seed, printedSharing: (rawShare / m).squareRoot() / 70, printedSolo: (rawSolo / m).squareRoot() / 70,
                   normalisedSharing: nShare / Double(Swift.max(cShare, 1)), normalisedSolo: nSolo / Double(Swift.max(cSolo, 1)),
                   sharingVsAnalytic: vsAnalytic / Double(Swift.max(cShare, 1)),
                   sampleBlocks: sampleBlocks, normalisedCumulative: curves, sharing: sharing, hashShare: h)
    }

    /// The ratios over `seeds` runs: mean and 95% confidence half-width.
    public struct Summary: Sendable {
        public var runs: [Run]
        public var printedRatio: (mean: Double, halfWidth: Double)
        public var normalisedRatio: (mean: Double, halfWidth: Double)
        public var sharingVsAnalytic: (mean: Double, halfWidth: Double)
    }

    public static func summary(seeds: Int, parameters: Parameters = Parameters()) -> Summary {
        let runs = (0..<seeds).map { run(seed: 0x5275_6269_6E00 + UInt64($0), parameters: parameters) }
        return Summary(runs: runs,
                       printedRatio: SimulationMath.meanAndCI95(runs.map(\.printedRatio)),
                       normalisedRatio: SimulationMath.meanAndCI95(runs.map(\.normalisedRatio)),
                       sharingVsAnalytic: SimulationMath.meanAndCI95(runs.map(\.sharingVsAnalytic)))
    }
}
