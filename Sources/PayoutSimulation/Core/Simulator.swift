import BitcoinPrimitives
import TIDES

/// The payout simulator: a seeded, deterministic run of a pool's share stream, paid by every
/// selected scheme at once (the same shares and the same blocks for all, so differences between
/// schemes are the schemes', not luck's).
///
/// Model. Shares arrive as a Poisson process at the pool's current hash rate over the share
/// work `w` (one share difficulty for the whole sharechain, set from the share interval at the
/// nominal pool hash rate). Each share belongs to a miner with probability proportional to its
/// hash rate. Its hash difficulty is `w / U` for uniform `U`, so it is a block exactly when
/// that reaches the network difficulty (probability `w / work(N)`). Network difficulty is
/// fixed for the run. Joins, leaves and hoppers change the active hash rate.
public enum Simulator {
    /// Runs `config`; `progress` is called with the blocks found so far, about 100 times.
    public static func run(_ config: SimulationConfig, progress: ((Int) -> Void)? = nil) -> SimulationResult {
        var state = RunState(config)
        return state.run(progress: progress)
    }
}

struct RunState {
    let config: SimulationConfig
    let n: Int
    let shareDifficulty: UInt64
    let shareWork: Double
    let networkWork: Double
    /// Network difficulty over share difficulty: a share is a block when its excess reaches this.
    let blockRatio: Double
    let reward: Double
    var schemes: [PayoutScheme] = []
    var payouts: [BlockPayouts] = []
    var outcomes: [[MinerOutcome]] = []
    var rng: SimulationRandom
    var tree: HashrateTree
    var member: [Bool]
    var hoppedOut = false
    var summaries: [MinerSummary]

    init(_ config: SimulationConfig) {
        self.config = config
        n = config.miners.count
        precondition(n > 0, "a simulation needs miners")
        let net = config.network
        let networkTarget = SimulationMath.target(difficulty: UInt64(Swift.max(1, net.difficulty.rounded())))
        networkWork = SimulationMath.double(Work.of(target: networkTarget))
        let poolShareDiff = config.poolHashrate * config.shareInterval / SimulationMath.hashesPerDifficultyOne
        shareDifficulty = UInt64(Swift.max(1, poolShareDiff.rounded()))
        let shareWorkExact = Work.of(target: SimulationMath.target(difficulty: shareDifficulty))
        shareWork = SimulationMath.double(shareWorkExact)
        blockRatio = networkWork / shareWork
        reward = Double(net.reward)
        rng = SimulationRandom(seed: config.seed)
        tree = HashrateTree(count: n)
        member = Array(repeating: false, count: n)
        summaries = config.miners.map { MinerSummary(spec: $0) }
        for kind in config.schemes {
            let s: PayoutScheme
            switch kind {
            case .tides:
                s = TidesScheme(miners: n, shareWork: shareWorkExact, networkTarget: networkTarget,
                                reward: net.reward, parameters: config.tides, seed: config.seed)
            case .pplns:
                s = PPLNSScheme(miners: n, windowShares: Int((config.pplnsWindowMultiplier * blockRatio).rounded()), reward: reward)
            case .splns:
                s = SPLNSScheme(miners: n, networkOverWork: blockRatio, windowMultiplier: config.splnsWindowMultiplier,
                                interval: config.splnsRescaleInterval, reward: reward)
            case .solo: s = SoloScheme(miners: n, reward: reward)
            case .rubin:
                s = RubinScheme(sharing: Array(repeating: true, count: n), fraction: config.rubinSharedFraction,
                                lookback: config.rubinLookback, reward: reward)
            case .proportional: s = ProportionalScheme(miners: n, reward: reward)
            }
            schemes.append(s)
            payouts.append(BlockPayouts(miners: n))
            outcomes.append(Array(repeating: MinerOutcome(), count: n))
        }
    }

    /// Hash rate a miner contributes right now.
    func rate(_ i: Int) -> Double {
        let m = config.miners[i]
        return member[i] && !(m.hopper && hoppedOut) ? m.hashrate : 0
    }

    mutating func refresh(_ i: Int) { tree.set(i, rate(i)) }

    mutating func run(progress: ((Int) -> Void)?) -> SimulationResult {
        // Membership events (join, leave), in time order.
        var events: [(time: Double, miner: Int, joins: Bool)] = []
        for (i, m) in config.miners.enumerated() {
            if m.joins <= 0 { member[i] = true } else { events.append((m.joins, i, true)) }
            if m.leaves.isFinite { events.append((m.leaves, i, false)) }
        }
        events.sort { $0.time < $1.time }
        for i in 0..<n { refresh(i) }
        var nextEvent = 0
        let hoppers = config.miners.indices.filter { config.miners[$0].hopper }
        let hopLimit = Swift.max(1, Int((config.hopThreshold * blockRatio).rounded()))

        let tracked = trackedMiners()
        let sampleEvery = Swift.max(1, config.blocks / Swift.max(1, config.chartSamples))
        var result = SimulationResult(seed: config.seed)
        result.trackedMiners = tracked
        var cumulative = Array(repeating: Array(repeating: [Double](), count: tracked.count), count: schemes.count)
        var cumulativeWork = Array(repeating: [Double](), count: tracked.count)
        let progressEvery = Swift.max(1, config.blocks / 100)

        var time = 0.0
        var blocks = 0, shares = 0, roundShares = 0
        var expectedBlocks = 0.0
        let p = shareWork / networkWork
        while blocks < config.blocks {
            let active = tree.total
            let eventTime = nextEvent < events.count ? events[nextEvent].time : .infinity
            let dt = active > 0 ? rng.exponential() * shareWork / active : .infinity
            if time + dt >= eventTime {
                // Memoryless arrivals: jump to the event and draw again.
                time = eventTime
                let e = events[nextEvent]
                nextEvent += 1
                member[e.miner] = e.joins
                refresh(e.miner)
                continue
            }
            precondition(dt.isFinite, "no miner is mining and nobody joins: the run cannot reach its blocks")
            time += dt
            let miner = tree.pick(rng.unit() * active)
            let excess = 1 / rng.positiveUnit()
            let isBlock = excess >= blockRatio
            shares += 1
            expectedBlocks += p
            summaries[miner].shares += 1
            for k in schemes.indices {
                schemes[k].share(miner: miner, excess: excess, time: time, isBlock: isBlock, payouts: &payouts[k])
                if isBlock { record(k, time: time) }
            }
            if isBlock {
                blocks += 1
                roundShares = 0
                if hoppedOut { hoppedOut = false; for h in hoppers { refresh(h) } }
                if blocks % sampleEvery == 0 || blocks == config.blocks {
                    result.sampleBlocks.append(blocks)
                    for (t, i) in tracked.enumerated() {
                        cumulativeWork[t].append(Double(summaries[i].shares) * shareWork)
                        for k in schemes.indices { cumulative[k][t].append(outcomes[k][i].earnings) }
                    }
                }
                if let progress, blocks % progressEvery == 0 { progress(blocks) }
            } else {
                roundShares += 1
                if !hoppers.isEmpty && !hoppedOut && roundShares >= hopLimit {
                    hoppedOut = true
                    for h in hoppers { refresh(h) }
                }
            }
        }
        result.blocks = blocks
        result.shares = shares
        result.duration = time
        result.expectedBlocks = expectedBlocks
        result.networkDifficulty = networkWork / SimulationMath.hashesPerDifficultyOne
        result.shareDifficulty = Double(shareDifficulty)
        result.reward = reward
        for i in 0..<n {
            summaries[i].work = Double(summaries[i].shares) * shareWork
            summaries[i].fair = reward * summaries[i].work / networkWork
        }
        result.miners = summaries
        result.cumulativeWork = cumulativeWork
        for k in schemes.indices {
            var s = finish(k, blocks: blocks)
            s.cumulativeEarnings = cumulative[k]
            result.schemes.append(s)
        }
        return result
    }

    /// Books one block's payouts of scheme `k` into the miners' outcomes.
    mutating func record(_ k: Int, time: Double) {
        let b = payouts[k]
        for i in b.touched {
            let a = b.amounts[i]
            let since = time - Swift.max(0, config.miners[i].joins)
            outcomes[k][i].earnings += a
            outcomes[k][i].sumSquares += a * a
            outcomes[k][i].paidBlocks += 1
            if outcomes[k][i].firstPayout == nil { outcomes[k][i].firstPayout = since }
            if schemes[k].kind == .tides {
                if b.viaLottery[i] {
                    outcomes[k][i].lotteryWins += 1
                    outcomes[k][i].lotteryEarnings += b.lotteryPool
                    if outcomes[k][i].firstLotteryWin == nil { outcomes[k][i].firstLotteryWin = since }
                    // A lottery winner can never also hold a direct output in the same block.
                } else {
                    outcomes[k][i].directOutputs += 1
                    if outcomes[k][i].firstDirectOutput == nil { outcomes[k][i].firstDirectOutput = since }
                }
            }
        }
        blockStats[k].outputs += Double(b.outputs)
        blockStats[k].maxOutputs = Swift.max(blockStats[k].maxOutputs, b.outputs)
        blockStats[k].lottery += b.lotteryPool
        if b.lotteryPool > 0 { blockStats[k].lotteryBlocks += 1 }
        payouts[k].reset()
    }

    struct BlockStats { var outputs = 0.0; var maxOutputs = 0; var lottery = 0.0; var lotteryBlocks = 0 }
    lazy var blockStats: [BlockStats] = Array(repeating: BlockStats(), count: schemes.count)

    /// Tracked miners: spread over the hash-rate ranking (the largest, the smallest, and between), plus hoppers.
    func trackedMiners() -> [Int] {
        let honest = config.miners.indices.filter { !config.miners[$0].hopper }
            .sorted { config.miners[$0].hashrate > config.miners[$1].hashrate }
        let hoppers = config.miners.indices.filter { config.miners[$0].hopper }
        let want = Swift.max(1, config.trackedMiners - Swift.min(hoppers.count, 2))
        var picks: [Int] = []
        if honest.count <= want { picks = honest } else {
            for t in 0..<want {
                let idx = Int((Double(t) / Double(Swift.max(1, want - 1)) * Double(honest.count - 1)).rounded())
                if !picks.contains(honest[idx]) { picks.append(honest[idx]) }
            }
        }
        return picks + hoppers.prefix(2)
    }

    mutating func finish(_ k: Int, blocks: Int) -> SchemeResult {
        var s = SchemeResult(kind: schemes[k].kind, miners: outcomes[k])
        let b = Double(Swift.max(blocks, 1))
        let totalWork = summaries.reduce(0) { $0 + $1.work }
        var honestEarn = 0.0, honestWork = 0.0, hopEarn = 0.0, hopWork = 0.0
        var errSum = 0.0, varSum = 0.0, varWeight = 0.0
        var firsts: [Double] = []
        var fromStart = 0, never = 0
        for i in 0..<n {
            let m = summaries[i]
            var o = s.miners[i]
            o.fairness = m.fair > 0 ? o.earnings / m.fair : 0
            let expectedPerBlock = reward * m.work / Swift.max(totalWork, 1)
            if expectedPerBlock > 0 {
                let mean = o.earnings / b
                o.normalisedVariance = Swift.max(0, o.sumSquares / b - mean * mean) / (expectedPerBlock * expectedPerBlock)
            }
            s.miners[i] = o
            if m.spec.hopper { hopEarn += o.earnings; hopWork += m.work; continue }
            honestEarn += o.earnings
            honestWork += m.work
            errSum += abs(o.fairness - 1) * m.work
            if m.spec.joins <= 0 && !m.spec.leaves.isFinite {
                varSum += o.normalisedVariance * m.spec.hashrate
                varWeight += m.spec.hashrate
                fromStart += 1
                if let f = o.firstPayout { firsts.append(f) } else { never += 1 }
            }
        }
        s.meanFairnessError = honestWork > 0 ? errSum / honestWork : 0
        s.meanNormalisedVariance = varWeight > 0 ? varSum / varWeight : 0
        if hopWork > 0 && honestWork > 0 && honestEarn > 0 { s.hopperAdvantage = (hopEarn / hopWork) / (honestEarn / honestWork) }
        if fromStart > 0 {
            s.neverPaidFraction = Double(never) / Double(fromStart)
            if firsts.count * 2 >= fromStart {
                firsts.sort()
                // Median over all miners, the unpaid counting as longer than any paid.
                s.medianFirstPayout = firsts[(fromStart - 1) / 2]
            }
        }
        s.outputsPerBlock = blockStats[k].outputs / b
        s.maxOutputsPerBlock = blockStats[k].maxOutputs
        s.lotteryFraction = blockStats[k].lottery / (b * reward)
        s.lotteryBlocks = blockStats[k].lotteryBlocks
        return s
    }
}
