import BitcoinPrimitives
import StratumProtocol

/// What the hashing threads grind: a job, the connection's extranonce1, the size
/// of extranonce2 they choose, and the share target in effect.
public struct MiningWork: Sendable, Hashable {
    /// The job.
    public var job: PoolJob
    /// Extranonce1 from `mining.subscribe`.
    public var extranonce1: [UInt8]
    /// Bytes of extranonce2 the miner chooses.
    public var extranonce2Size: Int
    /// The difficulty the target comes from.
    public var difficulty: StratumDifficulty
    /// Headers whose hash is at most this are submitted.
    public var target: UInt256
    /// Increases with every new piece of work, so threads notice a change cheaply.
    public var generation: UInt64

    /// Creates work.
    public init(job: PoolJob, extranonce1: [UInt8], extranonce2Size: Int,
                difficulty: StratumDifficulty, generation: UInt64) {
        self.job = job
        self.extranonce1 = extranonce1
        self.extranonce2Size = extranonce2Size
        self.difficulty = difficulty
        self.target = difficulty.target
        self.generation = generation
    }

    /// The extranonce2 bytes for a counter value: little-endian, `extranonce2Size` long.
    public func extranonce2(_ counter: UInt64) -> [UInt8] {
        (0..<extranonce2Size).map { i in i < 8 ? UInt8(truncatingIfNeeded: counter >> (8 * UInt64(i))) : 0 }
    }
}

/// A header that met the work's target, ready for `mining.submit`.
public struct MiningSolution: Sendable, Hashable {
    /// The job it solves.
    public var jobID: String
    /// The extranonce2 used.
    public var extranonce2: [UInt8]
    /// The header time used.
    public var time: UInt32
    /// The winning nonce.
    public var nonce: UInt32
    /// The generation of the work it was found on.
    public var generation: UInt64
    /// The header's hash.
    public var hash: BlockHash

    /// Creates a solution.
    public init(jobID: String, extranonce2: [UInt8], time: UInt32, nonce: UInt32, generation: UInt64, hash: BlockHash) {
        self.jobID = jobID
        self.extranonce2 = extranonce2
        self.time = time
        self.nonce = nonce
        self.generation = generation
        self.hash = hash
    }
}
