import BitcoinPrimitives
import TIDES

/// The home miner's questions: what do I get per day, how likely is a week or a month with
/// nothing, and how long until the first coinbase output or lottery win, in a TIDES pool
/// compared with solo mining.
///
/// Solo is closed-form (Poisson blocks at `h / H_net` of the network's rate), so a user can check
/// it by hand. TIDES: the miner's shares arrive as a Poisson process at `h / w` (w: the
/// sharechain's share work); each share stays in the window for `T = 8 × work(N) / H_pool` and
/// is credited `w`. At each pool block the real engine (`Tides.split`) decides, for a window
/// holding `k` of the miner's shares beside the rest of the pool at its steady weights, whether
/// the miner gets an output of its own or enters the lottery, and how large the lottery pool
/// is; the timeline of shares and blocks is then sampled (seeded) until the first payout.
public enum HomeMiner {
    public struct Input: Sendable {
        public var hashrate: Double
        public var network: NetworkModel
        /// The pool's (sharechain's) total hash rate, the miner included.
        public var poolHashrate: Double
        /// The other miners (power law 1.5 hash rates, as the simulator's default population).
        public var poolMiners: Int = 1_000
        public var shareInterval: Double = 30
        public var parameters: TidesParameters = .standard
        public var trials: Int = 2_000
        public var seed: UInt64 = 1
        public init(hashrate: Double, network: NetworkModel, poolHashrate: Double) {
            self.hashrate = hashrate
            self.network = network
            self.poolHashrate = poolHashrate
        }
    }

    public struct Answer: Sendable {
        /// Expected satoshis per day (the same for solo and TIDES: both pay for work).
        public var expectedPerDay: Double
        public var solo: Outlook
        public var tides: Outlook
        /// Days between the miner's shares on the sharechain.
        public var daysPerShare: Double
        /// Days a share stays in the TIDES window; pool blocks per day.
        public var windowDays: Double
        public var poolBlocksPerDay: Double
        /// TIDES: days until the first coinbase output of its own, and until the first lottery win (nil: not within the horizon).
        public var firstDirectOutputDays: Double?
        public var firstLotteryWinDays: Double?
        /// TIDES: the miner's per-block amount with one share in the window, and whether that gets its own output.
        public var amountPerShareInWindow: Double
        public var oneShareIsDirect: Bool
    }

    public struct Outlook: Sendable {
        public var nothingInWeek: Double
        public var nothingInMonth: Double
        /// Expected (mean) days until the first payout of any kind (nil: most trials got nothing within 20 years).
        public var firstPayoutDays: Double?
    }

    public static func answer(_ input: Input) -> Answer {
        let day = 86_400.0
        let v = Double(input.network.reward)
        let blocksPerDay = day / input.network.blockInterval
        let q = input.hashrate / input.network.hashrate
        let soloRate = blocksPerDay * q  // blocks per day
        let solo = Outlook(nothingInWeek: SimulationMath.expo(-7 * soloRate), nothingInMonth: SimulationMath.expo(-30 * soloRate),
                           firstPayoutDays: 1 / soloRate)
        // Sharechain quantities.
        let networkTarget = SimulationMath.target(difficulty: UInt64(input.network.difficulty.rounded()))
        let networkWork = SimulationMath.double(Work.of(target: networkTarget))
        let shareDifficulty = UInt64(Swift.max(1, (input.poolHashrate * input.shareInterval / SimulationMath.hashesPerDifficultyOne).rounded()))
        let shareWork = Work.of(target: SimulationMath.target(difficulty: shareDifficulty))
        let w = SimulationMath.double(shareWork)
        let capacity = try! Tides.windowCapacity(networkTarget: networkTarget, multiplier: input.parameters.windowMultiplier)
        let z = SimulationMath.double(capacity)
        let windowSeconds = z / input.poolHashrate
        let poolBlockRate = input.poolHashrate / networkWork  // per second
        let shareRate = input.hashrate / w                     // per second
        // The rest of the pool at steady weights (work units of the window).
        let others = PopulationSpec(count: input.poolMiners, poolHashrate: input.poolHashrate - input.hashrate)
            .miners(seed: input.seed, expectedDuration: 0)
        // Engine table: k of the miner's shares in the window → (direct?, amount, lottery pool).
        let maxK = Swift.max(1, Int((shareRate * windowSeconds * 4 + 4).rounded(.up)))
        var table: [(direct: Bool, amount: Double, pool: Double)] = [(false, 0, 0)]
        let me = TidesScheme.script(miner: others.count)
        for k in 1...Swift.min(maxK, 64) {
            let mine = w * Double(k)
            let scale = (z - mine) / (input.poolHashrate - input.hashrate)
            var entries = others.enumerated().map { i, m in
                WindowWeights.Entry(script: TidesScheme.script(miner: i), work: uint256(m.hashrate * scale))
            }
            entries.append(WindowWeights.Entry(script: me, work: uint256(mine)))
            let split = Tides.split(reward: Amount(satoshis: input.network.reward)!, weights: WindowWeights(unsorted: entries),
                                    parameters: input.parameters, lotterySeed: Hash256(bytes: [UInt8](repeating: 0, count: 32))!)
            let direct = split.budgeted.paid.contains { $0.script == me }
            let amount = Double((split.allocation.first { $0.script == me }?.amount.satoshis) ?? 0)
            table.append((direct, amount, Double(split.budgeted.lotteryPool.satoshis)))
        }
        while table.count <= maxK { table.append(table[table.count - 1]) }
        let anyDirect = table.dropFirst().contains { $0.direct }
        let allDirect = table.dropFirst().allSatisfy { $0.direct }
        // Timeline sampling until the first payout, or a 20-year horizon.
        var rng = SimulationRandom(seed: input.seed ^ 0x686F_6D65)
        let horizon = 20 * 365 * day
        var firstAny: [Double] = [], firstDirect: [Double] = [], firstLottery: [Double] = []
        var weekNothing = 0, monthNothing = 0
        for _ in 0..<input.trials {
            // The miner's share times in the window are shares[head...] (oldest first).
            var shares: [Double] = []
            var head = 0
            var t = 0.0
            var next = rng.exponential() / shareRate
            var gotAny: Double?, gotDirect: Double?, gotLottery: Double?
            // Stop at the horizon, once both kinds of payout happened (or cannot), or a year after the first payout.
            while t < horizon && !((gotDirect != nil || !anyDirect) && (gotLottery != nil || allDirect))
                    && t < (gotAny ?? horizon) + 365 * day {
                while head < shares.count && shares[head] <= t - windowSeconds { head += 1 }
                if head == shares.count {
                    // Nothing in the window: jump to the next share.
                    if next > horizon { break }
                    t = next
                    shares.append(next)
                    next = t + rng.exponential() / shareRate
                    continue
                }
                let block = t + rng.exponential() / poolBlockRate
                if next < block { t = next; shares.append(next); next = t + rng.exponential() / shareRate; continue }
                t = block
                while head < shares.count && shares[head] <= t - windowSeconds { head += 1 }
                let k = Swift.min(shares.count - head, table.count - 1)
                guard k > 0 else { continue }
                let row = table[k]
                if row.direct {
                    if gotDirect == nil { gotDirect = t }
                    if gotAny == nil { gotAny = t }
                } else if row.pool > 0 && rng.unit() * row.pool < row.amount {
                    if gotLottery == nil { gotLottery = t }
                    if gotAny == nil { gotAny = t }
                }
                if head > 4096 { shares.removeFirst(head); head = 0 }
            }
            firstAny.append(gotAny ?? horizon)
            if let d = gotDirect { firstDirect.append(d) }
            if let l = gotLottery { firstLottery.append(l) }
            if (gotAny ?? .infinity) > 7 * day { weekNothing += 1 }
            if (gotAny ?? .infinity) > 30 * day { monthNothing += 1 }
        }
        let n = Double(input.trials)
        func meanDays(_ xs: [Double]) -> Double? {
            xs.count * 2 < input.trials ? nil : xs.reduce(0, +) / Double(xs.count) / day
        }
        let tides = Outlook(nothingInWeek: Double(weekNothing) / n, nothingInMonth: Double(monthNothing) / n,
                            firstPayoutDays: meanDays(firstAny.filter { $0 < horizon }))
        return Answer(expectedPerDay: v * soloRate, solo: solo, tides: tides, daysPerShare: 1 / shareRate / day,
                      windowDays: windowSeconds / day, poolBlocksPerDay: poolBlockRate * day,
                      firstDirectOutputDays: meanDays(firstDirect), firstLotteryWinDays: meanDays(firstLottery),
                      amountPerShareInWindow: table[1].amount, oneShareIsDirect: table[1].direct)
    }

    static func uint256(_ x: Double) -> UInt256 {
        let v = Swift.max(1, x)
        let hi = (v / 18_446_744_073_709_551_616.0).rounded(.down)
        let lo = v - hi * 18_446_744_073_709_551_616.0
        return UInt256(w0: UInt64(Swift.min(lo, 18_446_744_073_709_551_615.0)), w1: UInt64(hi), w2: 0, w3: 0)
    }
}
