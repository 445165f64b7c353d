import TIDES

/// The Bitcoin side of a simulation: network hash rate, block interval, reward.
public struct NetworkModel: Sendable, Hashable {
    /// Total network hash rate, hashes per second.
    public var hashrate: Double
    /// Target block interval, seconds (600 on Bitcoin).
    public var blockInterval: Double
    /// Block reward (subsidy + fees), satoshis.
    public var reward: Int64

    public init(hashrate: Double, blockInterval: Double = 600, reward: Int64 = 312_500_000) {
        self.hashrate = hashrate
        self.blockInterval = blockInterval
        self.reward = reward
    }

    /// Network difficulty: expected hashes per block divided by the hashes of a difficulty-1 share.
    public var difficulty: Double { hashrate * blockInterval / SimulationMath.hashesPerDifficultyOne }
}

/// One miner of a simulated network.
public struct MinerSpec: Sendable, Hashable {
    /// Hash rate while mining, hashes per second.
    public var hashrate: Double
    /// Time the miner starts mining in the pool, seconds from the start.
    public var joins: Double
    /// Time the miner stops for good (`.infinity`: never).
    public var leaves: Double
    /// A pool hopper: mines in the pool only at the start of each round (see `SimulationConfig.hopThreshold`).
    public var hopper: Bool

    public init(hashrate: Double, joins: Double = 0, leaves: Double = .infinity, hopper: Bool = false) {
        self.hashrate = hashrate
        self.joins = joins
        self.leaves = leaves
        self.hopper = hopper
    }
}

/// The payout schemes the simulator compares.
public enum SchemeKind: String, Sendable, CaseIterable, Hashable {
    /// This node's rule (Docs/TIDES.md §1): TIDES through the real engine, with the byte budget, dust limit and lottery.
    case tides
    /// Pay per last N shares: the last `pplnsWindowMultiplier × D` of share work, pro rata.
    case pplns
    /// Laurentia's SPLNS: HERP scores with per-minute rescaling to 5 × D, paid by DERP.
    case splns
    /// Every miner keeps the blocks it finds.
    case solo
    /// Rubin's coordination-free sharing: a block shares a fixed fraction with the finders of recent blocks.
    case rubin
    /// Proportional per round (shares since the last block): not hop-proof, the hopping reference.
    case proportional
}

/// Rubin's look-back: which earlier blocks a sharing block pays.
public enum RubinLookback: Sendable, Hashable {
    /// The last `n` sharing blocks.
    case blocks(Int)
    /// Sharing blocks whose time span stays under this many seconds (his simulation's queue rule).
    case seconds(Double)
}

/// Everything a simulation run needs. Every field has a default except the miners and the network.
public struct SimulationConfig: Sendable {
    public var seed: UInt64
    /// Stop after the pool has found this many blocks.
    public var blocks: Int
    public var network: NetworkModel
    /// The sharechain's target share interval at the pool's nominal hash rate, seconds (mainnet: 30).
    public var shareInterval: Double
    public var miners: [MinerSpec]
    public var schemes: [SchemeKind]
    /// TIDES consensus parameters (multiplier 8, dust 546 sat, 500-byte budget by default).
    public var tides: TidesParameters
    /// PPLNS window, in multiples of the network difficulty.
    public var pplnsWindowMultiplier: Double
    /// SPLNS: the pool's HERP is held at this multiple of the network difficulty (Laurentia: 5).
    public var splnsWindowMultiplier: Double
    /// SPLNS: seconds between rescalings (Laurentia: one minute).
    public var splnsRescaleInterval: Double
    /// Rubin: fraction of each sharing block's reward passed on (his simulation: 143/144).
    public var rubinSharedFraction: Double
    /// Rubin: the look-back.
    public var rubinLookback: RubinLookback
    /// A hopper leaves the pool once the current round holds this fraction of a block's expected
    /// shares, and comes back when the pool finds a block (0.435: the classic optimum against proportional).
    public var hopThreshold: Double
    /// Miners whose cumulative revenue is sampled for charts (picked across the hash-rate range).
    public var trackedMiners: Int
    /// Points per chart series.
    public var chartSamples: Int

    public init(seed: UInt64 = 1, blocks: Int = 10_000, network: NetworkModel, shareInterval: Double = 30,
                miners: [MinerSpec], schemes: [SchemeKind] = [.tides, .pplns, .splns, .solo, .rubin, .proportional],
                tides: TidesParameters = .standard) {
        self.seed = seed
        self.blocks = blocks
        self.network = network
        self.shareInterval = shareInterval
        self.miners = miners
        self.schemes = schemes
        self.tides = tides
        pplnsWindowMultiplier = 5
        splnsWindowMultiplier = 5
        splnsRescaleInterval = 60
        rubinSharedFraction = 143.0 / 144.0
        rubinLookback = .blocks(144)
        hopThreshold = 0.435
        trackedMiners = 12
        chartSamples = 400
    }

    /// Sum of the miners' hash rates: the pool's nominal hash rate.
    public var poolHashrate: Double { miners.reduce(0) { $0 + $1.hashrate } }
}
