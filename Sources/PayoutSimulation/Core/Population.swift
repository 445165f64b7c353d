/// How a population's hash rates are drawn.
public enum HashrateDistribution: Sendable, Hashable {
    /// `U^(1/a)` for uniform `U`, as numpy's `random.power(a)` (Rubin's simulation uses a = 1.5).
    case powerLaw(exponent: Double)
    /// Every miner the same.
    case equal
    /// Each miner `ratio` times the previous one.
    case geometric(ratio: Double)
}

/// Builds a population of miners: hash rates from a distribution, scaled to a pool total,
/// with optional churn (miners joining and leaving at random times) and hoppers.
public struct PopulationSpec: Sendable {
    public var count: Int
    public var poolHashrate: Double
    public var distribution: HashrateDistribution
    /// Fraction of miners that join late or leave early (each at a uniform time in the run).
    public var churn: Double
    /// Number of hoppers added on top (each with `hopperFraction` of the pool's hash rate).
    public var hoppers: Int
    public var hopperFraction: Double

    public init(count: Int, poolHashrate: Double, distribution: HashrateDistribution = .powerLaw(exponent: 1.5),
                churn: Double = 0, hoppers: Int = 0, hopperFraction: Double = 0.01) {
        self.count = count
        self.poolHashrate = poolHashrate
        self.distribution = distribution
        self.churn = churn
        self.hoppers = hoppers
        self.hopperFraction = hopperFraction
    }

    /// The miners, largest first; `expectedDuration` (seconds) places churn events.
    public func miners(seed: UInt64, expectedDuration: Double) -> [MinerSpec] {
        var rng = SimulationRandom(seed: seed ^ 0x706F_7075_6C61_7465)
        var raw: [Double] = (0..<count).map { i in
            switch distribution {
            case .powerLaw(let a): return SimulationMath.expo(SimulationMath.ln(rng.positiveUnit()) / a)
            case .equal: return 1
            case .geometric(let r): return SimulationMath.expo(Double(i) * SimulationMath.ln(r))
            }
        }
        raw.sort(by: >)
        let honestTotal = poolHashrate * (1 - Double(hoppers) * hopperFraction)
        let scale = honestTotal / raw.reduce(0, +)
        var out = raw.map { MinerSpec(hashrate: $0 * scale) }
        for i in out.indices where rng.unit() < churn {
            // Half join late, half leave early.
            if rng.unit() < 0.5 { out[i].joins = rng.unit() * expectedDuration } else { out[i].leaves = rng.unit() * expectedDuration }
        }
        for _ in 0..<hoppers { out.append(MinerSpec(hashrate: poolHashrate * hopperFraction, hopper: true)) }
        return out
    }
}
