// TIDES engine benchmarks: a 1,000,000-share window.
//
//   swift package --disable-sandbox benchmark --target TIDESBenchmarks
//
// Targets (Docs/BENCHMARKS.md, "TIDES"): full build ≤ 1 s, incremental update
// ≤ 2 µs per share once full, ≤ 64 resident bytes per share.
import Benchmark
import BitcoinPrimitives
import TIDES

// MARK: - Inputs

/// A deterministic stream of shares: every payee appears, ids skewed toward small
/// ids (a few big miners, many small ones), share difficulty from a vardiff-like
/// set per payee.
struct ShareStream: Sendable {
    let scripts: [Script]
    let works: [UInt256]
    let ids: [UInt32]
    /// The sum of all share work: a window of exactly this capacity holds every share.
    let totalWork: UInt256

    init(shares: Int, payees: Int, seed: UInt64) {
        var state = seed
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        scripts = (0..<payees).map { i in
            // P2WPKH-shaped: OP_0 PUSH20 <program>, program unique per payee.
            var program = SHA256d.hash(withUnsafeBytes(of: UInt64(i).littleEndian) { Array($0) }).bytes
            program.removeLast(12)
            return Script([0x00, 0x14] + program)
        }
        // Per-payee share work: difficulty 2^k × 1,000 for k in 0..<8.
        let payeeWork: [UInt256] = (0..<payees).map { i in
            Work.of(target: Work.difficultyOneTarget / UInt256(UInt64(1_000) << UInt64(i % 8)))
        }
        var works: [UInt256] = []
        var ids: [UInt32] = []
        works.reserveCapacity(shares)
        ids.reserveCapacity(shares)
        for k in 0..<shares {
            // Every payee once, then the min of two uniform draws: payee i with
            // probability ∝ (2n − 2i − 1).
            let a = next() % UInt64(payees), b = next() % UInt64(payees)
            let id = k < payees ? UInt32(k) : UInt32(Swift.min(a, b))
            ids.append(id)
            works.append(payeeWork[Int(id)])
        }
        self.works = works
        self.ids = ids
        totalWork = works.reduce(UInt256.zero, +)
    }

    /// A window holding all the stream's shares, script ids interned in payee order
    /// (so id `i` is `scripts[i]`).
    func buildWindow(capacity: UInt256) -> TidesWindow {
        var window = TidesWindow(capacity: capacity)
        for s in scripts { _ = window.scriptID(for: s) }
        for i in works.indices { window.append(work: works[i], scriptID: ids[i]) }
        return window
    }
}

let windowShares = 1_000_000

/// A full window and the shares that keep coming after it.
final class FullWindow: @unchecked Sendable {
    var window: TidesWindow
    let stream: ShareStream
    var next = 0

    init(payees: Int) {
        stream = ShareStream(shares: windowShares, payees: payees, seed: 0x5449_4445_5300 + UInt64(payees))
        window = stream.buildWindow(capacity: stream.totalWork)
        precondition(window.windowShareCount == windowShares && window.payeeCount == payees)
    }
}

/// Keeps built windows alive past the end of their measurement.
final class WindowKeeper: @unchecked Sendable {
    let stream: ShareStream
    var windows: [TidesWindow] = []
    init(stream: ShareStream) { self.stream = stream }
}

let lotterySeed = SHA256d.hash(Array("tides benchmark".utf8))
let reward = Amount(satoshis: 312_500_000 as Int64)!

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    let timeMetrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .throughput]

    // Full build from scratch: intern 1,000 scripts and append 1M shares.
    Benchmark(
        "TIDES window build (1M shares, 1,000 payees)",
        configuration: .init(metrics: timeMetrics + [.peakMemoryResident], warmupIterations: 1,
                             maxDuration: .seconds(20), maxIterations: 10),
        closure: { benchmark, stream in
            for _ in benchmark.scaledIterations {
                blackHole(stream.buildWindow(capacity: stream.totalWork).windowShareCount)
            }
        },
        setup: { ShareStream(shares: windowShares, payees: 1_000, seed: 1) })

    // Incremental update once full: append one share, which pushes the oldest out
    // (and prune history beyond one window, as a node does).
    Benchmark(
        "TIDES window append (full 1M window, per share)",
        configuration: .init(metrics: timeMetrics, scalingFactor: .kilo, maxDuration: .seconds(5)),
        closure: { benchmark, full in
            let n = full.stream.works.count
            for _ in benchmark.scaledIterations {
                let i = full.next
                full.window.append(work: full.stream.works[i], scriptID: full.stream.ids[i])
                full.window.pruneHistory(keepingOutsideWindow: windowShares)
                full.next = i + 1 == n ? 0 : i + 1
            }
            blackHole(full.window.windowShareCount)
        },
        setup: { FullWindow(payees: 1_000) })

    // The split for a block found now: weights (steps 1–3), exact allocation
    // (step 4), budget and lottery (steps 5–6).
    for payees in [100, 10_000] {
        Benchmark(
            "TIDES split (1M-share window, \(payees) payees)",
            configuration: .init(metrics: timeMetrics, maxDuration: .seconds(5), maxIterations: 10_000),
            closure: { benchmark, full in
                for _ in benchmark.scaledIterations {
                    let split = Tides.split(reward: reward, weights: full.window.weights(),
                                            parameters: .standard, lotterySeed: lotterySeed)
                    blackHole(split.outputs.count)
                }
            },
            setup: { FullWindow(payees: payees) })
    }

    // Resident bytes per share of a full 1M-share window: the build is measured
    // and the window kept alive afterwards, so `memoryLeakedBytes` (bytes allocated
    // minus bytes freed inside the measurement) is exactly what the window retains:
    // entries, script table, per-script sums and array growth slack. Scaled by
    // 1M (`.mega`), it reads as bytes per share.
    Benchmark(
        "TIDES window retained bytes per share (1M shares)",
        configuration: .init(metrics: [.memoryLeakedBytes, .mallocCountTotal], warmupIterations: 0,
                             scalingFactor: .mega, maxDuration: .seconds(20), maxIterations: 3),
        closure: { benchmark, keeper in
            let stream = keeper.stream
            var window = TidesWindow(capacity: stream.totalWork)
            for s in stream.scripts { _ = window.scriptID(for: s) }
            for i in benchmark.scaledIterations { window.append(work: stream.works[i], scriptID: stream.ids[i]) }
            keeper.windows.append(window)  // still alive when the measurement ends
        },
        setup: { WindowKeeper(stream: ShareStream(shares: windowShares, payees: 1_000, seed: 2)) })
}
