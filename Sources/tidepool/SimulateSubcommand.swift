import ArgumentParser
import BitcoinPrimitives
import Foundation
import PayoutSimulation
import Sharechain
import TidepoolCommands

/// `tidepool simulate`: payout schemes side by side (Docs/SIMULATION.md).
struct SimulateSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate payout schemes (TIDES, PPLNS, SPLNS, solo, Rubin, proportional) side by side.",
        discussion: """
            Default: a seeded run of a pool's share stream, every scheme paid from the same shares;
            a table (or --json), and SVG charts with --charts DIR.
            --my-hashrate H: the home-miner answer (expected payout per day, chance of nothing in
            a week or a month, time to the first output and lottery win, solo beside it).
            --reproduce explainer|rubin|laurentia|all: the seed documents' figures (Docs/SIMULATION.md).
            """)

    @Option(help: "Seed of the run.") var seed: UInt64 = 1
    @Option(help: "Pool blocks to simulate.") var blocks = 10_000
    @Option(help: "Number of miners.") var miners = 1_000
    @Option(help: "Hash-rate distribution: power:EXPONENT, equal, or geometric:RATIO.") var distribution = "power:1.5"
    @Option(help: "Network hash rate, e.g. 700EH/s.") var networkHashrate = "700EH/s"
    @Option(help: "Pool (sharechain) hash rate; default 5% of the network.") var poolHashrate: String?
    @Option(help: "Sharechain share interval, seconds.") var shareInterval = 30.0
    @Option(help: "Bitcoin block interval, seconds.") var blockInterval = 600.0
    @Option(help: "Block reward (subsidy + fees), satoshis.") var reward: Int64 = 312_500_000
    @Option(help: "Fraction of miners that join late or leave early.") var churn = 0.05
    @Option(help: "Number of hoppers (1% of the pool each).") var hoppers = 2
    @Option(help: "Comma-separated schemes: tides,pplns,splns,solo,rubin,proportional.") var schemes = "tides,pplns,splns,solo,rubin,proportional"
    @Option(help: "Home-miner mode: your hash rate, e.g. 1.2TH/s.") var myHashrate: String?
    @Option(help: "Reproduce a seed's figures: explainer, rubin, laurentia, all.") var reproduce: String?
    @Option(help: "Seeds for the Rubin reproduction.") var rubinSeeds = 20
    @Option(help: "Directory to write SVG charts into.") var charts: String?
    @Option(help: "TIDES coinbase size class by its nominal bytes (255, 384, 500, 730, 2250, 6500, 16000): its payout budget decides how many payees are paid directly and how much goes through the lottery (Docs/FIRMWARE.md).")
    var coinbaseClass = 500
    @Flag(help: "JSON instead of a table.") var json = false
    @Flag(help: "Progress on stderr.") var progress = false

    func run() throws {
        guard let netRate = SimulationUnits.hashrate(networkHashrate) else { throw ValidationError("bad --network-hashrate") }
        let poolRate = try poolHashrate.map { text -> Double in
            guard let v = SimulationUnits.hashrate(text) else { throw ValidationError("bad --pool-hashrate") }
            return v
        } ?? netRate * 0.05
        let network = NetworkModel(hashrate: netRate, blockInterval: blockInterval, reward: reward)
        if let chartDir = charts { try FileManager.default.createDirectory(atPath: chartDir, withIntermediateDirectories: true) }

        if let mine = myHashrate {
            guard let h = SimulationUnits.hashrate(mine) else { throw ValidationError("bad --my-hashrate") }
            var input = HomeMiner.Input(hashrate: h, network: network, poolHashrate: Swift.max(poolRate, h))
            input.shareInterval = shareInterval
            input.seed = seed
            let answer = HomeMiner.answer(input)
            print(json ? SimulationReproductionReport.homeMinerJSON(answer) : SimulationReproductionReport.homeMiner(answer, input: input))
            return
        }
        if let what = reproduce {
            let all = what == "all"
            guard all || ["explainer", "rubin", "laurentia"].contains(what) else { throw ValidationError("bad --reproduce") }
            if all || what == "explainer" { print(SimulationReproductionReport.explainer()) }
            if all || what == "rubin" {
                let s = RubinReproduction.summary(seeds: rubinSeeds)
                print(SimulationReproductionReport.rubin(s))
                try write("rubin-cumulative-revenue.svg", SimulationCharts.rubin(s.runs[0]))
            }
            if all || what == "laurentia" {
                let ramp = LaurentiaExperiments.rampUp()
                print(SimulationReproductionReport.laurentia(hop: LaurentiaExperiments.hopping(), ramp: ramp))
                let colors = ["#1f77b4", "#d62728", "#2ca02c"]
                try write("ramp-up.svg", SimulationCharts.lines(
                    title: "Ramp-up: a newcomer's expected reward over its steady value", xLabel: "blocks of pool work since joining",
                    yLabel: "fraction of steady reward",
                    series: ramp.enumerated().map { i, r in .init(label: r.kind.rawValue, points: zip(r.blocks, r.level).map { ($0, $1) }, color: colors[i % 3]) },
                    yRange: (0, 1.1), legend: ramp.enumerated().map { ($1.kind.rawValue, colors[$0 % 3]) }))
            }
            return
        }

        let kinds = try schemes.split(separator: ",").map { name -> SchemeKind in
            guard let k = SchemeKind(rawValue: String(name)) else { throw ValidationError("unknown scheme \(name)") }
            return k
        }
        let dist: HashrateDistribution
        if distribution == "equal" { dist = .equal }
        else if distribution.hasPrefix("power:"), let a = Double(distribution.dropFirst(6)) { dist = .powerLaw(exponent: a) }
        else if distribution.hasPrefix("geometric:"), let r = Double(distribution.dropFirst(10)) { dist = .geometric(ratio: r) }
        else { throw ValidationError("bad --distribution") }
        let expected = Double(blocks) * blockInterval * netRate / poolRate
        let population = PopulationSpec(count: miners, poolHashrate: poolRate, distribution: dist, churn: churn,
                                        hoppers: hoppers, hopperFraction: 0.01)
        var config = SimulationConfig(seed: seed, blocks: blocks, network: network, shareInterval: shareInterval,
                                      miners: population.miners(seed: seed, expectedDuration: expected), schemes: kinds)
        config.trackedMiners = 10
        guard let sizeClass = CoinbaseSizeClass.allCases.first(where: { $0.nominalSize == coinbaseClass }) else {
            throw ValidationError("--coinbase-class must be one of \(CoinbaseSizeClass.allCases.map { String($0.nominalSize) }.joined(separator: ", "))")
        }
        config.tides.payoutBudgetBytes = sizeClass.payoutBudgetBytes
        let total = blocks
        let result = Simulator.run(config, progress: progress ? { done in
            FileHandle.standardError.write(Data("simulate: \(done)/\(total) blocks\n".utf8))
        } : nil)
        print(json ? SimulationReport.json(result) : SimulationReport.table(result))
        try write("cumulative-revenue.svg", SimulationCharts.cumulative(result, schemes: kinds))
        try write("payout-distribution.svg", SimulationCharts.fairnessDistribution(result))
    }

    func write(_ name: String, _ svg: String) throws {
        guard let dir = charts else { return }
        try svg.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    }
}
