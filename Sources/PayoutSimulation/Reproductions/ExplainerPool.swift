// The TIDES explainer's pool (moved here from Tests/TIDESTests): a small, deterministic
// simulator driven through the public TIDES engine, used by `ExplainerExamples`.
//
// Everything the engine sees (share work, window capacity, reward, allocations) is
// an exact integer. Doubles appear only in the simulator's bookkeeping: share
// arrival times, block probabilities and the expected-value sums reported by the
// tests. No clock and no system randomness: a fixed-seed SplitMix64 drives the
// arrival phases and the sampled blocks.
import BitcoinPrimitives
import TIDES

// MARK: - Deterministic randomness

/// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit state advanced by a Weyl
/// increment and scrambled by two xor-shift-multiply rounds.
public struct SimRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}

// MARK: - Units and network parameters

public enum SimUnits {
    public static let day = 86_400.0
    public static let tera = 1e12
    public static let peta = 1e15
    public static let exa = 1e18
    public static let satoshisPerBTC = 100_000_000.0
}

/// `UInt256` → `Double` for reporting (rounds toward zero past 53 bits; fine for statistics).
public func simDouble(_ v: UInt256) -> Double {
    var r = 0.0
    for limb in [v.w3, v.w2, v.w1, v.w0] { r = r * 18_446_744_073_709_551_616.0 + Double(limb) }
    return r
}

/// The network of the explainer's examples: difficulty 80T, 7 BTC per block, TIDES
/// window multiplier 8.
public struct SimNetwork: Sendable {
    /// Network difficulty, as an integer.
    public let difficulty: UInt64
    /// `floor(difficultyOneTarget / difficulty)`, the same rule as share targets.
    public let target: UInt256
    /// `work(target)`: expected hashes per block.
    public let work: UInt256
    /// Window capacity `Z = 8 × work(target)`.
    public let capacity: UInt256
    /// Block reward `V` (subsidy + fees).
    public let reward: Amount
    public let parameters: TidesParameters

    public init(difficulty: UInt64, reward: Amount, parameters: TidesParameters = .standard) {
        self.difficulty = difficulty
        self.target = simTarget(difficulty: difficulty)
        self.work = Work.of(target: target)
        self.capacity = try! Tides.windowCapacity(networkTarget: target, multiplier: parameters.windowMultiplier)
        self.reward = reward
        self.parameters = parameters
    }

    public static let explainer = SimNetwork(difficulty: 80_000_000_000_000, reward: Amount(satoshis: 700_000_000 as Int64)!)

    public var workDouble: Double { simDouble(work) }
    public var capacityDouble: Double { simDouble(capacity) }
    public var rewardDouble: Double { Double(reward.satoshis) }

    /// Window time span `T = Z / H_pool` (seconds) at a constant pool hashrate.
    public func windowSpan(poolHashrate: Double) -> Double { capacityDouble / poolHashrate }

    /// The fair reward for `work` hashes: `V × work / work(N)` (satoshis).
    public func fairReward(forWork work: Double) -> Double { rewardDouble * work / workDouble }
}

/// A share or network target from a difficulty: `floor(difficultyOneTarget / d)`.
public func simTarget(difficulty: UInt64) -> UInt256 {
    precondition(difficulty >= 1)
    return Work.difficultyOneTarget / UInt256(difficulty)
}

// MARK: - Miners

/// A miner with a constant hashrate between `joins` and `leaves` (seconds), who
/// submits shares at its own vardiff `difficulty`.
public struct SimMiner: Sendable {
    public var name: String
    public var hashrate: Double
    public var difficulty: UInt64
    public var joins: Double
    public var leaves: Double
    public var script: Script
    /// `work(floor(difficultyOneTarget / difficulty))`, exact.
    public var shareWork: UInt256

    public init(name: String, hashrate: Double, difficulty: UInt64,
         joins: Double = -.infinity, leaves: Double = .infinity, index: Int, taproot: Bool = false) {
        self.name = name
        self.hashrate = hashrate
        self.difficulty = difficulty
        self.joins = joins
        self.leaves = leaves
        self.script = Self.script(name: name, index: index, taproot: taproot)
        self.shareWork = Work.of(target: simTarget(difficulty: difficulty))
    }

    /// A distinct witness script per miner: P2WPKH-shaped (`OP_0 PUSH20`, 31-byte
    /// output) or P2TR-shaped (`OP_1 PUSH32`, 43-byte output).
    public static func script(name: String, index: Int, taproot: Bool) -> Script {
        var program = Array(SHA256d.hash(Array(name.utf8)).bytes.prefix(taproot ? 32 : 20))
        program[program.count - 1] = UInt8(truncatingIfNeeded: index)
        return Script((taproot ? [0x51, 0x20] : [0x00, 0x14]) + program)
    }

    public var shareWorkDouble: Double { simDouble(shareWork) }
    /// Mean seconds between shares: `work / H`.
    public var shareInterval: Double { shareWorkDouble / hashrate }

    /// Vardiff: the power of two nearest (in ratio) to the difficulty that gives
    /// `sharesPerWindow` shares in a full window when the miner holds `fraction` of
    /// the window's work; so a miner gets between 0.71× and 1.41× that many shares.
    ///
    /// Powers of two, as many pools' vardiff steps, also keep the miners' share
    /// intervals unequal. (With difficulty exactly proportional to hashrate, every
    /// miner would submit at the same rate, the window would always hold the same
    /// number of shares of each, and the per-block fractions would be constant: a
    /// degenerate case.)
    public static func vardiff(network: SimNetwork, fraction: Double, sharesPerWindow: Double) -> UInt64 {
        let z = Double(network.parameters.windowMultiplier) * Double(network.difficulty)
        let ideal = Swift.max(1, z * fraction / sharesPerWindow)
        var d: UInt64 = 1
        while Double(d) * 1.414_213_562 < ideal { d <<= 1 }
        return d
    }
}

// MARK: - The simulated pool

/// Share events of a set of miners merged in time order (ties: lower miner index
/// first), each appended to a `TidesWindow`.
///
/// Arrivals are evenly spaced per miner, `work / H` apart, with a random phase
/// drawn once per miner from the seeded generator.
public struct SimPool {
    public let network: SimNetwork
    public let miners: [SimMiner]
    public private(set) var window: TidesWindow
    /// The engine's interned id of each miner's script.
    public let scriptIDs: [UInt32]
    /// Miner index by script, to read allocations back.
    public let minerByScript: [Script: Int]
    /// Next share time per miner (`.infinity` once the miner has left).
    private var nextTime: [Double]
    /// Exact work each miner has appended so far.
    public private(set) var appendedWork: [UInt256]
    public private(set) var appendedShares: [Int]
    /// Time of the last event.
    public private(set) var now: Double
    /// Number of events so far.
    public private(set) var eventCount: UInt64 = 0
    /// Every share appended, oldest first, when `recordsHistory` (for checking the
    /// incremental window against the reference walk).
    public var recordsHistory = false
    public private(set) var history: [TidesShare] = []

    public init(network: SimNetwork, miners: [SimMiner], start: Double, seed: UInt64) {
        self.network = network
        self.miners = miners
        var window = TidesWindow(capacity: network.capacity)
        scriptIDs = miners.map { window.scriptID(for: $0.script) }
        self.window = window
        var byScript: [Script: Int] = [:]
        for (i, m) in miners.enumerated() { byScript[m.script] = i }
        precondition(byScript.count == miners.count, "miner scripts must be distinct")
        minerByScript = byScript
        var rng = SimRandom(seed: seed)
        nextTime = miners.map { m in
            let first = Swift.max(m.joins, start) + rng.nextUnit() * m.shareInterval
            return first < m.leaves ? first : .infinity
        }
        appendedWork = Array(repeating: .zero, count: miners.count)
        appendedShares = Array(repeating: 0, count: miners.count)
        now = start
    }

    /// Appends the next share if it comes at or before `end`; returns its miner.
    public mutating func step(until end: Double) -> Int? {
        var best = -1
        var bestTime = Double.infinity
        for (i, t) in nextTime.enumerated() where t < bestTime {
            best = i
            bestTime = t
        }
        guard best >= 0, bestTime <= end else { return nil }
        let m = miners[best]
        window.append(work: m.shareWork, scriptID: scriptIDs[best])
        if recordsHistory { history.append(TidesShare(script: m.script, work: m.shareWork)) }
        appendedWork[best] += m.shareWork
        appendedShares[best] += 1
        now = bestTime
        eventCount += 1
        let next = bestTime + m.shareInterval
        nextTime[best] = next < m.leaves ? next : .infinity
        return best
    }

    /// Runs events up to `end` without looking at them (pre-filling the window).
    public mutating func advance(until end: Double) {
        while step(until: end) != nil {}
    }

    /// The probability that the share just appended by `miner` is also a block:
    /// `work(N) ≤ hash` odds given it met its share target, `work_share / work(N)`.
    public func blockProbability(miner: Int) -> Double {
        miners[miner].shareWorkDouble / network.workDouble
    }

    /// Credited work per miner in the current window, from the engine's weights.
    public func creditedWork(_ weights: WindowWeights) -> [UInt256] {
        var out = Array(repeating: UInt256.zero, count: miners.count)
        for e in weights.entries { out[minerByScript[e.script]!] = e.work }
        return out
    }
}

// MARK: - Expected-value accounting

/// One miner's expected earnings, split into the explainer's three regions:
/// R1 while its share count grows (mining, nothing dropped yet), R2 while it is
/// flat (mining and being dropped, or stopped and not yet dropped), R3 while it
/// decays (stopped and being dropped).
public struct SimEarnings: Sendable {
    public var regions: [Double] = [0, 0, 0]
    /// `Σ p` per region over the events where the miner had weight: each engine
    /// amount is within 1 sat of the rational one, so this bounds the rounding.
    public var regionBlocks: [Double] = [0, 0, 0]
    /// `Σ p × alloc` with the exact rational `V × Wp / W` instead of the engine's
    /// integer amount, to separate rounding from the rule.
    public var rational = 0.0
    public var total: Double { regions.reduce(0, +) }
}

/// The result of an expected-value run.
public struct SimExpectedRun: Sendable {
    public var earnings: [SimEarnings]
    /// Expected number of blocks `Σ p` over the accounted events.
    public var expectedBlocks = 0.0
    /// Number of share events accounted for.
    public var events = 0
    /// Per-event fraction of the reward allocated to each miner: min and max.
    public var minFraction: [Double]
    public var maxFraction: [Double]
    /// First and last accounted event times.
    public var start = 0.0
    public var end = 0.0
}

extension SimPool {
    /// Runs share events from now to `end` (or until `stop` returns true after an
    /// event) and accumulates, for every event, `p × allocation_m`, where
    /// `allocation_m` is the engine's step-4 amount for a block found at that share.
    public mutating func accumulateExpected(
        until end: Double, stop: (SimPool, [UInt256]) -> Bool = { _, _ in false }
    ) -> SimExpectedRun {
        var run = SimExpectedRun(
            earnings: Array(repeating: SimEarnings(), count: miners.count),
            minFraction: Array(repeating: .infinity, count: miners.count),
            maxFraction: Array(repeating: 0, count: miners.count))
        run.start = now
        let v = network.rewardDouble
        while let m = step(until: end) {
            let p = blockProbability(miner: m)
            let weights = window.weights()
            let allocation = Tides.allocate(reward: network.reward, weights: weights)
            let credited = creditedWork(weights)
            let w = simDouble(weights.total)
            var amounts = Array(repeating: 0.0, count: miners.count)
            for e in allocation { amounts[minerByScript[e.script]!] = Double(e.amount.satoshis) }
            for i in miners.indices {
                let stopped = now >= miners[i].leaves
                let dropping = credited[i] < appendedWork[i]
                let region = !stopped && !dropping ? 0 : (stopped && dropping ? 2 : 1)
                run.earnings[i].regions[region] += p * amounts[i]
                if !credited[i].isZero { run.earnings[i].regionBlocks[region] += p }
                run.earnings[i].rational += p * v * simDouble(credited[i]) / w
                run.minFraction[i] = Swift.min(run.minFraction[i], amounts[i] / v)
                run.maxFraction[i] = Swift.max(run.maxFraction[i], amounts[i] / v)
            }
            run.expectedBlocks += p
            run.events += 1
            run.end = now
            if stop(self, credited) { break }
        }
        return run
    }
}
