// The worked examples of the TIDES explainer (OCEAN's TIDES as explained on
// Bitcoin Stack Exchange), reproduced by expected value through the engine.
//
// Method: every share event is a block with probability p = work(share) / work(N).
// At each event the share is appended to a `TidesWindow` (it is `s0`, the share
// being mined) and `Tides.allocate` gives the exact step-4 amount each miner would
// get if that share were a block; the miner's expected earnings accumulate
// `p × amount`. That is the explainer's Riemann sum, taken over real share events
// and real integer allocations, so the results are tight (no sampling noise).
//
// Parameters (the explainer's): network difficulty 80T, reward 7 BTC, multiplier 8,
// pool 1.25 EH/s (Alice 250 PH/s = 20%, the rest split over three miners), window
// pre-filled by running the pool for 1.25 windows before time 0. Each miner's
// vardiff gives it about 2,000 shares in a full window (TIDES weights by work, so
// the scale does not change the expectation; it only sets the granularity).
import BitcoinPrimitives
import TIDES
import Testing

enum SimExplainer {
    static let network = SimNetwork.explainer
    static let poolHashrate = 1.25 * SimUnits.exa
    static let sharesPerWindow = 2_000.0
    /// Pre-fill: the pool has been running this many windows before time 0.
    static let prefillWindows = 1.25
    static let seed: UInt64 = 0x7469_6465_706F_6F6C  // "tidepool"

    /// `T = Z / H_pool` at 1.25 EH/s (≈ 25.45 days).
    static var windowSpan: Double { network.windowSpan(poolHashrate: poolHashrate) }

    /// The base pool: Alice 20%, Dave 36%, Erin 28%, Frank 16% of 1.25 EH/s.
    static func baseMiners() -> [SimMiner] {
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

    /// A miner joining the base pool at time 0 and leaving at `leaves`. Its vardiff
    /// is set for `fraction` of a full window.
    static func visitor(_ name: String, hashrate: Double, fraction: Double, leaves: Double) -> SimMiner {
        SimMiner(name: name, hashrate: hashrate,
                 difficulty: SimMiner.vardiff(network: network, fraction: fraction, sharesPerWindow: sharesPerWindow),
                 joins: 0, leaves: leaves, index: 4)
    }

    /// Runs the base pool plus `visitor` from the pre-fill to the moment the
    /// visitor's last share has left the window.
    static func runVisitor(_ visitor: SimMiner) -> (run: SimExpectedRun, pool: SimPool) {
        var pool = SimPool(network: network, miners: baseMiners() + [visitor],
                           start: -prefillWindows * windowSpan, seed: seed)
        pool.advance(until: 0)
        precondition(pool.window.creditedWork == network.capacity, "window should be full at time 0")
        let v = pool.miners.count - 1
        let leaves = visitor.leaves
        let run = pool.accumulateExpected(until: .infinity) { pool, credited in
            pool.now >= leaves && credited[v].isZero
        }
        return (run, pool)
    }

    /// Relative difference.
    static func rel(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

    /// Prints one result line (collected into Docs/TIDES.md).
    static func report(_ line: String) { print("[simulation] " + line) }

    static func fmt(_ x: Double, _ digits: Int = 1) -> String {
        let scale = (0..<digits).reduce(1.0) { r, _ in r * 10 }
        let v = (x * scale).rounded() / scale
        return "\(v)"
    }
}

/// The checks shared by the visitor examples (2–5).
private func checkVisitor(
    _ label: String, hashrate: Double, fraction: Double, leaves: Double,
    explainerTotal: Double, explainerRegions: [Double], unit: Double, unitName: String,
    regionTolerance: Double
) {
    let S = SimExplainer.self
    let visitor = S.visitor(label, hashrate: hashrate, fraction: fraction, leaves: leaves)
    let (run, pool) = S.runVisitor(visitor)
    let v = pool.miners.count - 1
    let e = run.earnings[v]
    let work = simDouble(pool.appendedWork[v])
    let fair = S.network.fairReward(forWork: work)
    // Blocks during which the visitor had weight bound the integer rounding: each
    // engine amount is within 1 sat of the rational V × Wp / W.
    let roundingBound = e.regionBlocks.reduce(0, +)
    let thDays = work / (SimUnits.tera * SimUnits.day)  // TH/s·days of work submitted
    let perTHDay = e.total / thDays
    S.report("\(label): mined \(S.fmt((leaves - visitor.joins) / SimUnits.day, 2)) d, "
             + "\(pool.appendedShares[v]) shares (d=\(visitor.difficulty)), \(run.events) events, "
             + "\(S.fmt(run.expectedBlocks, 2)) expected blocks until gone at \(S.fmt(run.end / SimUnits.day, 2)) d")
    S.report("\(label): R1 \(S.fmt(e.regions[0] / unit, 4)) R2 \(S.fmt(e.regions[1] / unit, 4)) "
             + "R3 \(S.fmt(e.regions[2] / unit, 4)) total \(S.fmt(e.total / unit, 4)) \(unitName); "
             + "rational \(S.fmt(e.rational / unit, 4)); fair V·work/work(N) \(S.fmt(fair / unit, 4)); "
             + "explainer \(explainerTotal) (R \(explainerRegions.map { "\($0)" }.joined(separator: "/"))); "
             + "\(S.fmt(perTHDay, 2)) sat per TH/s·day")

    // The rule is fair: expected earnings equal V × work / work(N). The rational
    // sum is within 0.3% (boundary shares), the engine's integer amounts within
    // one satoshi per expected block of it.
    #expect(S.rel(e.rational, fair) < 0.003, "\(label): rational \(e.rational) vs fair \(fair)")
    #expect(abs(e.total - e.rational) <= roundingBound, "\(label): rounding beyond 1 sat/block")
    #expect(S.rel(e.total, fair) < 0.005 + roundingBound / fair)
    // 176 sat per TH/s per day of work, as the explainer finds (176.02 exactly).
    #expect(S.rel(perTHDay, 176.02) < 0.005 + roundingBound / fair)
    // The explainer's figures (rounded in the text): total within 1%, regions within
    // `regionTolerance`.
    #expect(S.rel(e.total / unit, explainerTotal) < 0.01, "\(label): total vs explainer")
    for k in 0..<3 {
        let got = e.regions[k], want = explainerRegions[k] * unit
        #expect(abs(got - want) <= regionTolerance * want + e.regionBlocks[k],
                "\(label): region R\(k + 1) \(got / unit) vs \(explainerRegions[k])")
    }
    // The visitor's shares have all left: nothing is owed after the window passes.
    #expect(pool.window.weights().entries.allSatisfy { $0.script != visitor.script })
}

@Suite("Simulation: explainer examples by expected value")
struct SimulationExplainerTests {
    @Test("Example 1: Alice at 20% of the pool gets 20% of each block, 0.44 BTC/day")
    func aliceAlwaysMining() {
        let S = SimExplainer.self
        var pool = SimPool(network: S.network, miners: S.baseMiners(),
                           start: -S.prefillWindows * S.windowSpan, seed: S.seed)
        pool.advance(until: 0)
        #expect(pool.window.creditedWork == S.network.capacity)
        let span = S.windowSpan
        let run = pool.accumulateExpected(until: span)
        let alice = run.earnings[0]
        let v = S.network.rewardDouble
        let fraction = alice.total / (run.expectedBlocks * v)
        let days = span / SimUnits.day
        let perDay = alice.total / days / SimUnits.satoshisPerBTC
        let per10Min = perDay / 144
        let fair = S.network.fairReward(forWork: 250 * SimUnits.peta * SimUnits.day) / SimUnits.satoshisPerBTC
        S.report("Example 1 Alice: \(run.events) events over \(S.fmt(days, 2)) d (T), "
                 + "\(S.fmt(run.expectedBlocks, 3)) expected blocks; mean fraction \(S.fmt(fraction * 100, 4))%, "
                 + "per-block range \(S.fmt(run.minFraction[0] * 100, 4))–\(S.fmt(run.maxFraction[0] * 100, 4))%; "
                 + "\(S.fmt(perDay, 5)) BTC/day (fair \(S.fmt(fair, 5))), \(S.fmt(per10Min, 5)) BTC/10 min")
        #expect(S.rel(fraction, 0.2) < 0.001)
        #expect(S.rel(run.minFraction[0], 0.2) < 0.005 && S.rel(run.maxFraction[0], 0.2) < 0.005)
        #expect(S.rel(perDay, fair) < 0.002)
        #expect(S.rel(perDay, 0.44) < 0.005)
        #expect(S.rel(per10Min, 0.003) < 0.05)  // the explainer rounds 0.00306 to 0.003
        // Everybody else is paid in proportion too.
        for (i, m) in pool.miners.enumerated() {
            let f = run.earnings[i].total / (run.expectedBlocks * v)
            #expect(S.rel(f, m.hashrate / S.poolHashrate) < 0.001, "\(m.name)")
        }
    }

    @Test("Example 2: Charlie mines 1 TH/s for T + 10 days: 6,240 sat")
    func charlieFullWindow() {
        let S = SimExplainer.self
        let h = 1 * SimUnits.tera
        let t = S.network.windowSpan(poolHashrate: S.poolHashrate + h)
        checkVisitor("Example 2 Charlie", hashrate: h, fraction: h / S.poolHashrate,
                     leaves: t + 10 * SimUnits.day,
                     explainerTotal: 6240, explainerRegions: [2240, 1760, 2240], unit: 1, unitName: "sat",
                     regionTolerance: 0.01)
    }

    @Test("Example 3: Charlie mines 1 TH/s for 1 day: 176 sat")
    func charlieLeavesEarly() {
        let S = SimExplainer.self
        let h = 1 * SimUnits.tera
        checkVisitor("Example 3 Charlie", hashrate: h, fraction: h / S.poolHashrate,
                     leaves: 1 * SimUnits.day,
                     explainerTotal: 176, explainerRegions: [3.5, 169, 3.5], unit: 1, unitName: "sat",
                     regionTolerance: 0.03)
    }

    @Test("Example 4: Bob doubles the pool for T' + 7 days: 43.3 BTC")
    func bobBigMiner() {
        let S = SimExplainer.self
        let h = 1.25 * SimUnits.exa
        let tPrime = S.network.windowSpan(poolHashrate: S.poolHashrate + h)
        checkVisitor("Example 4 Bob", hashrate: h, fraction: 0.5, leaves: tPrime + 7 * SimUnits.day,
                     explainerTotal: 43.3, explainerRegions: [14, 15.4, 14],
                     unit: SimUnits.satoshisPerBTC, unitName: "BTC", regionTolerance: 0.01)
    }

    @Test("Example 5: Bob doubles the pool for 1 day: 2.2 BTC")
    func bobLeavesEarly() {
        let h = 1.25 * SimUnits.exa
        checkVisitor("Example 5 Bob", hashrate: h, fraction: 0.5, leaves: 1 * SimUnits.day,
                     explainerTotal: 2.2, explainerRegions: [0.086, 2.027, 0.086],
                     unit: SimUnits.satoshisPerBTC, unitName: "BTC", regionTolerance: 0.03)
    }
}
