// Rubin's variance comparison (seed 000) and Laurentia's SPLNS claims (seed 003), with the
// tolerances Docs/SIMULATION.md states.
import PayoutSimulation
import Testing

@Suite("Reproductions: Rubin and Laurentia")
struct ReproductionTests {
    @Test("Rubin: sharing cuts revenue variance far below solo, as the analytic model predicts")
    func rubinVariance() async {
        let s = await offPool { RubinReproduction.summary(seeds: 10) }
        print("[simulation] Rubin printed ratio \(s.printedRatio.mean) ± \(s.printedRatio.halfWidth); "
              + "normalised variance ratio \(s.normalisedRatio.mean) ± \(s.normalisedRatio.halfWidth); "
              + "sharing sim/analytic \(s.sharingVsAnalytic.mean) ± \(s.sharingVsAnalytic.halfWidth); "
              + "printed first run \(s.runs[0].printedSharing) / \(s.runs[0].printedSolo)")
        // "Far below": the standard deviation of a sharing miner's revenue is under a quarter of a solo miner's.
        #expect(s.printedRatio.mean + s.printedRatio.halfWidth < 0.25)
        #expect(s.normalisedRatio.mean + s.normalisedRatio.halfWidth < 0.05)
        // The sharing miners' variance is what the look-back model predicts, within 15%.
        #expect(abs(s.sharingVsAnalytic.mean - 1) < 0.15)
        // Every run shows it, not just the mean.
        #expect(s.runs.allSatisfy { $0.printedRatio < 0.35 })
    }

    @Test("Laurentia: SPLNS, PPLNS and TIDES are hop-proof; proportional is not")
    func hopProof() async {
        let results = await offPool { LaurentiaExperiments.hopping() }
        for r in results { print("[simulation] hopping \(r.kind.rawValue): advantage \(r.advantage)") }
        for r in results where r.kind != .proportional { #expect(abs(r.advantage - 1) < 0.03, "\(r.kind)") }
        #expect(results.first { $0.kind == .proportional }!.advantage > 1.15)
    }

    @Test("Laurentia: ramp-up of SPLNS vs PPLNS vs TIDES follows the windows' shapes")
    func rampUp() async {
        let results = await offPool { LaurentiaExperiments.rampUp() }
        for r in results {
            print("[simulation] ramp \(r.kind.rawValue): 50% at \(r.toHalf ?? -1) blocks (analytic "
                  + "\(LaurentiaExperiments.analyticTime(r.kind, level: 0.5))), 90% at \(r.toNinety ?? -1) "
                  + "(analytic \(LaurentiaExperiments.analyticTime(r.kind, level: 0.9)))")
            #expect(abs(r.toHalf! / LaurentiaExperiments.analyticTime(r.kind, level: 0.5) - 1) < 0.1, "\(r.kind)")
            #expect(abs(r.toNinety! / LaurentiaExperiments.analyticTime(r.kind, level: 0.9) - 1) < 0.1, "\(r.kind)")
        }
        let splns = results.first { $0.kind == .splns }!, pplns = results.first { $0.kind == .pplns }!
        let tides = results.first { $0.kind == .tides }!
        // At the same 5 × D window SPLNS does not ramp faster than PPLNS: it is slower to 50% and to 90%.
        #expect(splns.toHalf! > pplns.toHalf! && splns.toNinety! > pplns.toNinety!)
        // Against TIDES' 8 × D window SPLNS reaches 50% sooner but 90% later.
        #expect(splns.toHalf! < tides.toHalf! && splns.toNinety! > tides.toNinety!)
    }

    @Test("Simulator: every scheme pays every block in full, fair in expectation, deterministic per seed")
    func simulatorSanity() async {
        var config = SimulationPresets.benchmark(seed: 3, blocks: 300, miners: 60)
        config.trackedMiners = 6
        let fixed = config
        let (a, b) = await offPool { (Simulator.run(fixed), Simulator.run(fixed)) }
        #expect(a.blocks == 300)
        for (s, t) in zip(a.schemes, b.schemes) {
            let paid = s.miners.reduce(0) { $0 + $1.earnings }
            #expect(abs(paid - Double(a.blocks) * a.reward) < 1, "\(s.kind): paid \(paid)")
            #expect(s.miners.map(\.earnings) == t.miners.map(\.earnings), "\(s.kind) not deterministic")
        }
        let tides = a.schemes.first { $0.kind == .tides }!
        #expect(tides.maxOutputsPerBlock <= 15)
        #expect(tides.lotteryFraction > 0)
        let solo = a.schemes.first { $0.kind == .solo }!, pplns = a.schemes.first { $0.kind == .pplns }!
        // Pooling without a budget cuts variance by far more than 10×; TIDES' lottery keeps the
        // small miners' variance high (they win lumps), but still below solo, and the largest
        // miner (paid its own output every block) is as smooth as under PPLNS.
        #expect(pplns.meanNormalisedVariance < solo.meanNormalisedVariance / 10)
        #expect(tides.meanNormalisedVariance < solo.meanNormalisedVariance)
        #expect(tides.miners[0].normalisedVariance < solo.miners[0].normalisedVariance / 10)
        #expect(tides.miners[0].directOutputs > 250)
    }
}
