// A sampled run: blocks are drawn with the seeded generator and paid with the full
// split (allocation, byte budget, dust limit, lottery with a real seed). Realized
// earnings must match the expected values of the same run within a stated
// statistical tolerance, and every block must pay exactly its reward.
import BitcoinPrimitives
import TIDES
import PayoutSimulation
import Testing

@Suite("Simulation: sampled blocks with the full split")
struct SimulationMonteCarloTests {
    static let network = SimNetwork.explainer
    static let poolHashrate = 1.25 * SimUnits.exa
    static let blocksWanted = 2_000
    static let seed: UInt64 = 0x4D6F_6E74_6543_6172  // "MonteCar"

    /// 16 miners with geometric hashrates (each 0.7 of the previous; the largest
    /// 30% of the pool, the smallest 0.14%), alternating P2TR (43-byte output) and
    /// P2WPKH (31-byte) scripts, plus one 0.5 TH/s miner whose amount (~280 sat) is
    /// under the 546-sat dust limit. With the standard 500-byte budget about ten
    /// outputs are paid and the rest go to the lottery. Share difficulty: at most
    /// 1/8 of the network's (a share is a block with probability ≤ 12.5%), and at
    /// least 3 shares per window for every miner (~90 share events per window keep
    /// the run fast; fairness does not depend on the scale).
    static func miners() -> [SimMiner] {
        var rates: [Double] = []
        var r = 1.0
        for _ in 0..<16 { rates.append(r); r *= 0.7 }
        let dustRate = 0.5 * SimUnits.tera
        let scale = (poolHashrate - dustRate) / rates.reduce(0, +)
        var hashrates = rates.map { $0 * scale }
        hashrates.append(dustRate)
        let z = Double(network.parameters.windowMultiplier) * Double(network.difficulty)
        return hashrates.enumerated().map { i, h in
            let f = h / poolHashrate
            let d = Swift.min(Double(network.difficulty) / 8, z * f / 3)
            return SimMiner(name: "M\(i)", hashrate: h, difficulty: UInt64(d.rounded()), index: i,
                            taproot: i % 2 == 0)
        }
    }

    @Test("Realized earnings converge to the expected values (4σ per miner), nothing lost; window = walk")
    func sampledBlocks() {
        let net = Self.network
        var pool = SimPool(network: net, miners: Self.miners(),
                           start: -1.25 * net.windowSpan(poolHashrate: Self.poolHashrate), seed: Self.seed)
        pool.recordsHistory = true
        pool.advance(until: 0)
        #expect(pool.window.creditedWork == net.capacity)
        let n = pool.miners.count
        var rng = SimRandom(seed: Self.seed ^ 0xB10C)
        var expected = Array(repeating: 0.0, count: n)
        var variance = Array(repeating: 0.0, count: n)
        var realized = Array(repeating: Int64(0), count: n)
        var blocks = 0, events = 0, lotteryBlocks = 0
        var maxOutputs = 0, maxBytes = 0, lotteryEntrants = 0, lotteryPool: Int64 = 0
        let v = net.rewardDouble
        while blocks < Self.blocksWanted {
            guard let m = pool.step(until: .infinity) else { break }
            events += 1
            let p = pool.blockProbability(miner: m)
            // The lottery seed stands for the previous share's hash: SHA256d of the
            // event index, little-endian.
            let seedBytes = withUnsafeBytes(of: pool.eventCount.littleEndian) { Array($0) }
            let lotterySeed = SHA256d.hash(seedBytes)
            let weights = pool.window.weights()
            let split = Tides.split(reward: net.reward, weights: weights,
                                    parameters: net.parameters, lotterySeed: lotterySeed)
            // Expected value and variance of this event's payout to each miner:
            // a block with probability p; then a directly paid miner gets a, a
            // lottery entrant gets S with probability a / S (so E[X²] = a × S).
            let s = Double(split.budgeted.lotteryPool.satoshis)
            let inLottery = Set(split.budgeted.lotteryEntries.map(\.script))
            for e in split.allocation {
                let i = pool.minerByScript[e.script]!
                let a = Double(e.amount.satoshis)
                expected[i] += p * a
                let x2 = inLottery.contains(e.script) ? a * s : a * a
                variance[i] += p * x2 - p * p * a * a
            }
            guard rng.nextUnit() < p else { continue }
            // A block: pay the coinbase outputs.
            blocks += 1
            // The incremental window equals the reference walk over the whole chain,
            // and the split from the walk is the same.
            let walked = try? Tides.split(
                reward: net.reward, networkTarget: net.target, sharesNewestFirst: pool.history.reversed(),
                parameters: net.parameters, lotterySeed: lotterySeed)
            #expect(walked?.weights == weights)
            #expect(walked == split)
            let outputs = split.outputs
            #expect(Amount.sum(outputs.map(\.amount)) == net.reward, "every satoshi is paid")
            let bytes = outputs.reduce(0) { $0 + Tides.outputSize($1.script) }
            #expect(bytes <= net.parameters.payoutBudgetBytes)
            maxOutputs = Swift.max(maxOutputs, outputs.count)
            maxBytes = Swift.max(maxBytes, bytes)
            if split.budgeted.lotteryWinner != nil { lotteryBlocks += 1 }
            lotteryEntrants += split.budgeted.lotteryEntries.count
            lotteryPool += split.budgeted.lotteryPool.satoshis
            for o in outputs { realized[pool.minerByScript[o.script]!] += o.amount.satoshis }
        }
        #expect(blocks == Self.blocksWanted)
        #expect(realized.reduce(0, +) == Int64(blocks) * net.reward.satoshis)

        let expectedBlocks = expected.reduce(0, +) / v
        var maxZ = 0.0
        var lines: [String] = []
        for i in 0..<n {
            let sigma = variance[i].squareRoot()
            let z = (Double(realized[i]) - expected[i]) / sigma
            maxZ = Swift.max(maxZ, abs(z))
            #expect(abs(z) <= 4, "\(pool.miners[i].name): realized \(realized[i]) expected \(expected[i]) σ \(sigma)")
            // The same comparison per block found, which removes the noise of the
            // block count (shared by every miner) and leaves the lottery's.
            let perBlockRealized = Double(realized[i]) / Double(blocks)
            let perBlockExpected = expected[i] / expectedBlocks
            if i < 2 || i >= 11 {
                lines.append("\(pool.miners[i].name) \(SimExplainer.fmt(100 * pool.miners[i].hashrate / Self.poolHashrate, 4))%: "
                             + "realized/expected \(SimExplainer.fmt(Double(realized[i]) / expected[i], 4)), "
                             + "σ/expected \(SimExplainer.fmt(sigma / expected[i], 4)), z \(SimExplainer.fmt(z, 2)); "
                             + "per block found: realized \(SimExplainer.fmt(perBlockRealized, 0)) sat, "
                             + "expected \(SimExplainer.fmt(perBlockExpected, 0)) sat")
            }
        }
        // Realized blocks against Σ p: the block count itself is Poisson-like.
        let blockZ = (Double(blocks) - expectedBlocks) / expectedBlocks.squareRoot()
        SimExplainer.report("Monte Carlo: \(n) miners, \(events) share events, \(blocks) blocks "
                            + "(Σp = \(SimExplainer.fmt(expectedBlocks, 1)), z \(SimExplainer.fmt(blockZ, 2))), "
                            + "\(lotteryBlocks) with a lottery (mean \(SimExplainer.fmt(Double(lotteryEntrants) / Double(blocks), 2)) entrants, "
                            + "mean pool \(SimExplainer.fmt(Double(lotteryPool) / Double(blocks), 0)) sat), max \(maxOutputs) payout outputs / \(maxBytes) bytes, "
                            + "max |z| over miners \(SimExplainer.fmt(maxZ, 2))")
        for l in lines { SimExplainer.report("Monte Carlo: " + l) }
        #expect(abs(blockZ) <= 4)
    }
}

/// Report helpers (kept from the TIDESTests simulation support).
enum SimExplainer {
    static func report(_ line: String) { print("[simulation] " + line) }
    static func fmt(_ x: Double, _ digits: Int = 1) -> String {
        let scale = (0..<digits).reduce(1.0) { r, _ in r * 10 }
        return "\((x * scale).rounded() / scale)"
    }
}
