import BitcoinPrimitives
import TIDES

/// Laurentia's two claims for SPLNS (Kolivas and Ellis; seed document 003), measured against
/// PPLNS, proportional and TIDES on one share stream:
///
/// - hop-proof: "the system cannot be gamed to earn more by hopping on and off";
/// - short ramp-up compared to PPLNS: "rewards more rapidly rise to stable levels".
///
/// Both are measured by expected value: at every share (hop) or sample point (ramp) each
/// scheme reports the fraction of the reward a block found on that share would pay each
/// miner, times the block probability `p`. That is the expectation over blocks conditional on
/// the share stream, so the noise of block luck drops out.
public enum LaurentiaExperiments {
    static func makeSchemes(_ kinds: [SchemeKind], miners: Int, blockRatio: Double, seed: UInt64) -> [PayoutScheme] {
        let shareDifficulty: UInt64 = 1 << 20
        let shareWork = Work.of(target: SimulationMath.target(difficulty: shareDifficulty))
        let networkTarget = SimulationMath.target(difficulty: UInt64(Double(shareDifficulty) * blockRatio))
        return kinds.map { kind -> PayoutScheme in
            switch kind {
            case .tides: return TidesScheme(miners: miners, shareWork: shareWork, networkTarget: networkTarget,
                                            reward: 100_000_000, parameters: .standard, seed: seed)
            case .pplns: return PPLNSScheme(miners: miners, windowShares: Int(5 * blockRatio), reward: 1)
            case .splns: return SPLNSScheme(miners: miners, networkOverWork: blockRatio, windowMultiplier: 5, interval: 60, reward: 1)
            case .proportional: return ProportionalScheme(miners: miners, reward: 1)
            case .solo: return SoloScheme(miners: miners, reward: 1)
            case .rubin: return RubinScheme(sharing: Array(repeating: true, count: miners), fraction: 143.0 / 144,
                                            lookback: .blocks(144), reward: 1)
            }
        }
    }

    /// Hopping: one hopper with `hopperShare` of the pool's hash rate mines only while the current
    /// round holds fewer than `threshold × D` shares and returns at each block.
    public struct HopResult: Sendable {
        public var kind: SchemeKind
        /// Hopper's expected earnings per share over the honest miners' (1 = hop-proof).
        public var advantage: Double
    }

    public static func hopping(seed: UInt64 = 7, honest: Int = 20, hopperShare: Double = 0.1, blockRatio: Double = 50,
                               blocks: Int = 1_500, threshold: Double = 0.435,
                               kinds: [SchemeKind] = [.tides, .pplns, .splns, .proportional]) -> [HopResult] {
        let n = honest + 1
        var rng = SimulationRandom(seed: seed)
        var tree = HashrateTree(count: n)
        let honestRate = (1 - hopperShare) / Double(honest)
        for i in 0..<honest { tree.set(i, honestRate) }
        tree.set(honest, hopperShare)
        let schemes = makeSchemes(kinds, miners: n, blockRatio: blockRatio, seed: seed)
        var payouts = BlockPayouts(miners: n)
        var ev = Array(repeating: Array(repeating: 0.0, count: n), count: schemes.count)
        var shares = Array(repeating: 0, count: n)
        let p = 1 / blockRatio
        let limit = Int(threshold * blockRatio)
        var time = 0.0, found = 0, round = 0, warm = 0
        let poolShareInterval = 6.0  // seconds at full pool hash rate: ten shares a minute for SPLNS
        while found < blocks {
            time += rng.exponential() * poolShareInterval / tree.total
            let miner = tree.pick(rng.unit() * tree.total)
            let excess = 1 / rng.positiveUnit()
            let isBlock = excess >= blockRatio
            let counting = warm >= Int(10 * blockRatio)  // the windows fill first
            if counting { shares[miner] += 1 }
            for (k, s) in schemes.enumerated() {
                if counting && !s.paysFindingShare { for (i, f) in s.rewardFractions().enumerated() { ev[k][i] += p * f } }
                s.share(miner: miner, excess: excess, time: time, isBlock: isBlock, payouts: &payouts)
                payouts.reset()
                if counting && s.paysFindingShare { for (i, f) in s.rewardFractions().enumerated() { ev[k][i] += p * f } }
            }
            warm += 1
            if isBlock {
                if counting { found += 1 }
                round = 0
                tree.set(honest, hopperShare)
            } else {
                round += 1
                if round == limit { tree.set(honest, 0) }
            }
        }
        let honestShares = Double(shares[0..<honest].reduce(0, +))
        return schemes.enumerated().map { k, s in
            let honestEV = ev[k][0..<honest].reduce(0, +)
            return HopResult(kind: s.kind, advantage: (ev[k][honest] / Double(shares[honest])) / (honestEV / honestShares))
        }
    }

    /// Ramp-up: a newcomer with `newcomerShare` of the pool joins a steady pool. The curve is its
    /// expected reward per block over its steady-state value, against the pool work since it
    /// joined in blocks (multiples of the network difficulty), averaged over seeds.
    public struct RampResult: Sendable {
        public var kind: SchemeKind
        public var blocks: [Double]
        public var level: [Double]
        /// Blocks of pool work until the curve first reaches 50% and 90%.
        public var toHalf: Double?
        public var toNinety: Double?
    }

    public static func rampUp(seeds: Int = 8, newcomerShare: Double = 0.2, blockRatio: Double = 1_000, horizon: Double = 16,
                              step: Double = 0.25, kinds: [SchemeKind] = [.pplns, .splns, .tides]) -> [RampResult] {
        let points = Int(horizon / step)
        var sums = Array(repeating: Array(repeating: 0.0, count: points + 1), count: kinds.count)
        for seed in 0..<seeds {
            var rng = SimulationRandom(seed: 0x5261_6D70 + UInt64(seed))
            let n = 11
            var tree = HashrateTree(count: n)
            for i in 0..<10 { tree.set(i, (1 - newcomerShare) / 10) }
            let schemes = makeSchemes(kinds, miners: n, blockRatio: blockRatio, seed: UInt64(seed))
            var payouts = BlockPayouts(miners: n)
            var time = 0.0
            func advance(shares: Int) {
                for _ in 0..<shares {
                    time += rng.exponential() * 6 / tree.total
                    let miner = tree.pick(rng.unit() * tree.total)
                    let excess = 1 / rng.positiveUnit()
                    for s in schemes {
                        s.share(miner: miner, excess: excess, time: time, isBlock: excess >= blockRatio, payouts: &payouts)
                        payouts.reset()
                    }
                }
            }
            advance(shares: Int(40 * blockRatio))  // steady state: 8 TIDES windows, 8 SPLNS lifetimes
            tree.set(10, newcomerShare)
            let perStep = Int(step * blockRatio)
            for k in 0...points {
                if k > 0 { advance(shares: perStep) }
                for (j, s) in schemes.enumerated() { sums[j][k] += s.rewardFractions()[10] / newcomerShare }
            }
        }
        return kinds.enumerated().map { j, kind in
            let level = sums[j].map { $0 / Double(seeds) }
            let xs = (0...points).map { Double($0) * step }
            func crossing(_ target: Double) -> Double? {
                for k in 1..<level.count where level[k] >= target {
                    let f = (target - level[k - 1]) / Swift.max(level[k] - level[k - 1], 1e-12)
                    return xs[k - 1] + f * step
                }
                return nil
            }
            return RampResult(kind: kind, blocks: xs, level: level, toHalf: crossing(0.5), toNinety: crossing(0.9))
        }
    }

    /// The analytic ramp: PPLNS and TIDES rise linearly over their window (5 and 8 blocks of work);
    /// SPLNS decays HERP per unit of HERP, a mean life of `5 D / E[HERP per unit work]` with
    /// `E[HERP]/w = 1 − 1/(2√(D/w))`, so it rises as `1 − e^(−t/τ)`.
    public static func analyticTime(_ kind: SchemeKind, level: Double, blockRatio: Double = 1_000) -> Double {
        switch kind {
        case .pplns: return 5 * level
        case .tides: return 8 * level
        case .splns: return -5 / (1 - 1 / (2 * blockRatio.squareRoot())) * SimulationMath.ln(1 - level)
        default: return .nan
        }
    }
}
