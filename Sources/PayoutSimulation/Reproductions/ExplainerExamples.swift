// The worked examples of the TIDES explainer (OCEAN's TIDES as explained on Bitcoin Stack
// Exchange; seed document 004), reproduced by expected value through the engine.
//
// Method: every share event is a block with probability p = work(share) / work(N). At each
// event the share is appended to a `TidesWindow` (it is `s0`, the share being mined) and
// `Tides.allocate` gives the exact step-4 amount each miner would get if that share were a
// block; the miner's expected earnings accumulate `p × amount`: the explainer's Riemann sum,
// over real share events and real integer allocations, with no sampling noise.
//
// Parameters (the explainer's): network difficulty 80T, reward 7 BTC, multiplier 8, pool
// 1.25 EH/s (Alice 250 PH/s = 20%, the rest split over three miners), window pre-filled by
// running the pool for 1.25 windows before time 0. Each miner's vardiff gives it about 2,000
// shares in a full window.
import BitcoinPrimitives
import TIDES

/// The explainer's five examples, runnable from the simulator, `tidepool simulate --reproduce`
/// and the tests.
public enum ExplainerExamples {
    public static let network = SimNetwork.explainer
    public static let poolHashrate = 1.25 * SimUnits.exa
    static let sharesPerWindow = 2_000.0
    static let prefillWindows = 1.25
    static let seed: UInt64 = 0x7469_6465_706F_6F6C  // "tidepool"

    /// `T = Z / H_pool` at 1.25 EH/s (≈ 25.45 days).
    public static var windowSpan: Double { network.windowSpan(poolHashrate: poolHashrate) }

    /// The base pool: Alice 20%, Dave 36%, Erin 28%, Frank 16% of 1.25 EH/s.
    public static func baseMiners() -> [SimMiner] {
        let rates: [(String, Double)] = [
            ("Alice", 250 * SimUnits.peta), ("Dave", 450 * SimUnits.peta),
            ("Erin", 350 * SimUnits.peta), ("Frank", 200 * SimUnits.peta),
        ]
        return rates.enumerated().map { i, r in
            SimMiner(name: r.0, hashrate: r.1,
                     difficulty: SimMiner.vardiff(network: network, fraction: r.1 / poolHashrate,
                                                  sharesPerWindow: sharesPerWindow),
                     index: i)
        }
    }

    /// Example 1: Alice always mining.
    public struct AliceResult: Sendable {
        public var events: Int
        public var days: Double
        public var expectedBlocks: Double
        /// Mean fraction of a block's reward, and the per-block range.
        public var fraction: Double
        public var minFraction: Double
        public var maxFraction: Double
        public var btcPerDay: Double
        public var fairBTCPerDay: Double
        /// Every miner's mean fraction and its hash-rate share.
        public var fractions: [(name: String, fraction: Double, hashrateShare: Double)]
    }

    public static func alice() -> AliceResult {
        var pool = SimPool(network: network, miners: baseMiners(), start: -prefillWindows * windowSpan, seed: seed)
        pool.advance(until: 0)
        let run = pool.accumulateExpected(until: windowSpan)
        let v = network.rewardDouble
        let days = windowSpan / SimUnits.day
        let a = run.earnings[0]
        return AliceResult(
            events: run.events, days: days, expectedBlocks: run.expectedBlocks,
            fraction: a.total / (run.expectedBlocks * v), minFraction: run.minFraction[0], maxFraction: run.maxFraction[0],
            btcPerDay: a.total / days / SimUnits.satoshisPerBTC,
            fairBTCPerDay: network.fairReward(forWork: 250 * SimUnits.peta * SimUnits.day) / SimUnits.satoshisPerBTC,
            fractions: pool.miners.enumerated().map { i, m in
                (m.name, run.earnings[i].total / (run.expectedBlocks * v), m.hashrate / poolHashrate)
            })
    }

    /// Examples 2–5: a visitor joins at time 0 and leaves; expected earnings until its last share has left.
    public struct VisitorResult: Sendable {
        public var example: Int
        public var label: String
        /// The explainer's figures, in `unitName`.
        public var explainerTotal: Double
        public var explainerRegions: [Double]
        public var unit: Double
        public var unitName: String
        /// Per-region tolerance the tests use (relative, plus 1 sat per expected block).
        public var regionTolerance: Double
        public var shares: Int
        public var difficulty: UInt64
        public var events: Int
        public var expectedBlocks: Double
        public var minedDays: Double
        public var goneAtDays: Double
        /// Engine expected earnings per region (R1 growing, R2 flat, R3 decaying) and the region's `Σ p`.
        public var regions: [Double]
        public var regionBlocks: [Double]
        /// The same with the rational `V × Wp / W` instead of the engine's integer amounts.
        public var rational: Double
        /// `V × work / work(N)` for the work submitted.
        public var fair: Double
        public var satPerTHDay: Double
        /// The visitor's shares have all left the window at the end.
        public var leftWindow: Bool
        public var total: Double { regions.reduce(0, +) }
        public var roundingBound: Double { regionBlocks.reduce(0, +) }
    }

    /// Runs example 2, 3, 4 or 5.
    public static func visitor(example: Int) -> VisitorResult {
        let tera = 1 * SimUnits.tera, bob = 1.25 * SimUnits.exa
        let h: Double, fraction: Double, leaves: Double, label: String
        var total: Double, regions: [Double], unit = 1.0, unitName = "sat", tolerance = 0.01
        switch example {
        case 2:
            (h, fraction, label) = (tera, tera / poolHashrate, "Example 2 Charlie")
            leaves = network.windowSpan(poolHashrate: poolHashrate + tera) + 10 * SimUnits.day
            (total, regions) = (6240, [2240, 1760, 2240])
        case 3:
            (h, fraction, label) = (tera, tera / poolHashrate, "Example 3 Charlie")
            leaves = SimUnits.day
            (total, regions, tolerance) = (176, [3.5, 169, 3.5], 0.03)
        case 4:
            (h, fraction, label) = (bob, 0.5, "Example 4 Bob")
            leaves = network.windowSpan(poolHashrate: poolHashrate + bob) + 7 * SimUnits.day
            (total, regions, unit, unitName) = (43.3, [14, 15.4, 14], SimUnits.satoshisPerBTC, "BTC")
        default:
            precondition(example == 5, "the explainer has examples 1–5")
            (h, fraction, label) = (bob, 0.5, "Example 5 Bob")
            leaves = SimUnits.day
            (total, regions, unit, unitName, tolerance) = (2.2, [0.086, 2.027, 0.086], SimUnits.satoshisPerBTC, "BTC", 0.03)
        }
        let visitor = SimMiner(name: label, hashrate: h,
                               difficulty: SimMiner.vardiff(network: network, fraction: fraction, sharesPerWindow: sharesPerWindow),
                               joins: 0, leaves: leaves, index: 4)
        var pool = SimPool(network: network, miners: baseMiners() + [visitor], start: -prefillWindows * windowSpan, seed: seed)
        pool.advance(until: 0)
        precondition(pool.window.creditedWork == network.capacity, "window should be full at time 0")
        let v = pool.miners.count - 1
        let run = pool.accumulateExpected(until: .infinity) { pool, credited in
            pool.now >= leaves && credited[v].isZero
        }
        let e = run.earnings[v]
        let work = simDouble(pool.appendedWork[v])
        return VisitorResult(
            example: example, label: label, explainerTotal: total, explainerRegions: regions, unit: unit,
            unitName: unitName, regionTolerance: tolerance, shares: pool.appendedShares[v], difficulty: visitor.difficulty,
            events: run.events, expectedBlocks: run.expectedBlocks, minedDays: leaves / SimUnits.day,
            goneAtDays: run.end / SimUnits.day, regions: e.regions, regionBlocks: e.regionBlocks, rational: e.rational,
            fair: network.fairReward(forWork: work), satPerTHDay: e.total / (work / (SimUnits.tera * SimUnits.day)),
            leftWindow: pool.window.weights().entries.allSatisfy { $0.script != visitor.script })
    }
}
