// The TIDES explainer's worked examples (seed 004), run by `ExplainerExamples` in the
// simulator (moved there from Tests/TIDESTests) and checked against the explainer's figures.
import PayoutSimulation
import Testing

private func rel(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

@Suite("Explainer examples by expected value (seed 004)")
struct ExplainerExamplesTests {
    @Test("Example 1: Alice at 20% of the pool gets 20% of each block, 0.44 BTC/day")
    func aliceAlwaysMining() async {
        let r = await offPool { ExplainerExamples.alice() }
        print("[simulation] Example 1 Alice: \(r.events) events, \(r.expectedBlocks) expected blocks; fraction \(r.fraction) "
              + "(\(r.minFraction)–\(r.maxFraction)); \(r.btcPerDay) BTC/day (fair \(r.fairBTCPerDay))")
        #expect(rel(r.fraction, 0.2) < 0.001)
        #expect(rel(r.minFraction, 0.2) < 0.005 && rel(r.maxFraction, 0.2) < 0.005)
        #expect(rel(r.btcPerDay, r.fairBTCPerDay) < 0.002)
        #expect(rel(r.btcPerDay, 0.44) < 0.005)
        #expect(rel(r.btcPerDay / 144, 0.003) < 0.05)  // the explainer rounds 0.00306 to 0.003
        for m in r.fractions { #expect(rel(m.fraction, m.hashrateShare) < 0.001, "\(m.name)") }
    }

    @Test("Examples 2–5: Charlie and Bob are paid for their work, as the explainer computes", arguments: [2, 3, 4, 5])
    func visitor(example: Int) async {
        let r = await offPool { ExplainerExamples.visitor(example: example) }
        print("[simulation] \(r.label): \(r.shares) shares (d=\(r.difficulty)), \(r.events) events; R "
              + r.regions.map { "\($0 / r.unit)" }.joined(separator: "/") + " total \(r.total / r.unit) \(r.unitName); "
              + "rational \(r.rational / r.unit); fair \(r.fair / r.unit); explainer \(r.explainerTotal); "
              + "\(r.satPerTHDay) sat per TH/s·day")
        // Fair: the rational sum within 0.3% (boundary shares), the engine within 1 sat per expected block of it.
        #expect(rel(r.rational, r.fair) < 0.003)
        #expect(abs(r.total - r.rational) <= r.roundingBound)
        #expect(rel(r.total, r.fair) < 0.005 + r.roundingBound / r.fair)
        // 176 sat per TH/s per day of work (176.02 exactly at these parameters).
        #expect(rel(r.satPerTHDay, 176.02) < 0.005 + r.roundingBound / r.fair)
        // The explainer's figures: total within 1%, each region within its tolerance + 1 sat per expected block.
        #expect(rel(r.total / r.unit, r.explainerTotal) < 0.01)
        for k in 0..<3 {
            let want = r.explainerRegions[k] * r.unit
            #expect(abs(r.regions[k] - want) <= r.regionTolerance * want + r.regionBlocks[k], "R\(k + 1)")
        }
        #expect(r.leftWindow)
    }
}
