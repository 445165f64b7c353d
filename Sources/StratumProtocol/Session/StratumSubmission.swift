import BitcoinPrimitives

/// A pseudo-share that is a sharechain share or a Bitcoin block: everything the node
/// needs to build the share or the block.
public struct StratumSubmission: Sendable {
    /// The job it was mined on.
    public var job: MiningJob
    /// The full header (version with rolled bits, merkle root, ntime, nonce).
    public var header: BlockHeader
    /// The header's hash.
    public var hash: BlockHash
    /// The connection's extranonce1 (4 bytes).
    public var extranonce1: [UInt8]
    /// The miner's extranonce2 (8 bytes).
    public var extranonce2: [UInt8]
    /// The coinbase's non-witness serialization `coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2`.
    public var coinbase: [UInt8]
    /// Who found it.
    public var worker: StratumWorker
    /// The Stratum difficulty the job was sent at.
    public var difficulty: StratumDifficulty

    /// Creates a submission.
    public init(job: MiningJob, header: BlockHeader, hash: BlockHash, extranonce1: [UInt8], extranonce2: [UInt8],
                coinbase: [UInt8], worker: StratumWorker, difficulty: StratumDifficulty) {
        self.job = job
        self.header = header
        self.hash = hash
        self.extranonce1 = extranonce1
        self.extranonce2 = extranonce2
        self.coinbase = coinbase
        self.worker = worker
        self.difficulty = difficulty
    }

    /// The 80 serialized header bytes.
    public var headerBytes: [UInt8] { header.withSerializedBytes { Array($0) } }
}

/// What the session asks its owner (the server) to do, in order.
public enum StratumAction: Sendable {
    /// Write this response or notification.
    case send(StratumOutbound)
    /// Write `mining.notify` for `job` under `jobID`. When `jobID == job.id` the line is
    /// the same for every connection of the job's payout script, so the server may
    /// write a line it encoded once.
    case notify(job: MiningJob, jobID: String, clean: Bool)
    /// The connection is subscribed and authorized: give it the current job of its
    /// payout script and coinbase size class (`receive(job:now:)`).
    case ready(JobKey)
    /// A Bitcoin block: submit it at once (even if the job is stale for the sharechain).
    case submitBlock(StratumSubmission)
    /// A sharechain share.
    case submitShare(StratumSubmission)
    /// Close the connection.
    case close(reason: String)
}
