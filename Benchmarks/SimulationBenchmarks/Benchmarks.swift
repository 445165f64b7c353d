// Payout simulator benchmark: 10,000 pool blocks × 1,000 miners, every scheme at once.
//
//   swift package --disable-sandbox benchmark --target SimulationBenchmarks
//
// Target (issue 16, Docs/BENCHMARKS.md "Simulation"): under 10 s on a 2-core x86_64 machine.
import Benchmark
import PayoutSimulation

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident],
                                           maxDuration: .seconds(120), maxIterations: 3)
    Benchmark("Simulate 10,000 blocks × 1,000 miners, all schemes") { benchmark in
        let config = SimulationPresets.benchmark()
        benchmark.startMeasurement()
        blackHole(Simulator.run(config))
    }
}
