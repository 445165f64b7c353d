import BitcoinPrimitives
import Sharechain
import StratumProtocol

/// Where the server gets work for a payout script that has none yet (the node).
public protocol StratumWorkSource: Sendable {
    /// The current job for miners of `key` (payout script and coinbase size class), or
    /// nil if there is no work yet (the miner then waits for the next `publish`).
    func job(for key: JobKey) async -> MiningJob?
}

/// Where the server hands over found work (the node).
public protocol StratumSubmissionSink: Sendable {
    /// A header that meets the Bitcoin target: assemble the block and submit it.
    /// Called even when the job is stale for the sharechain, on the connection's event
    /// loop the moment the miner's line is read: it must hand the block off and return
    /// at once (never wait for bitcoind here).
    func submitBlock(_ submission: StratumSubmission)
    /// An accepted pseudo-share that meets the job's share target: the chain's verdict on
    /// the share built from it, or nil when no share could be built (logged by the sink).
    func submitShare(_ submission: StratumSubmission) async -> SubmitOutcome?
}

/// A snapshot of one connection's miner, for the node's API.
public struct StratumWorkerSnapshot: Sendable, Hashable {
    /// Server-local connection number.
    public var connectionID: UInt64
    /// The peer's address, e.g. `127.0.0.1:50312`.
    public var remoteAddress: String
    /// The payout address as text, once authorized.
    public var address: String?
    /// The worker name after the `.`, if any.
    public var workerName: String?
    /// From `mining.subscribe`.
    public var userAgent: String?
    /// The connection's current difficulty.
    public var difficulty: StratumDifficulty
    /// Accepted pseudo-shares.
    public var accepted: UInt64
    /// Rejected submits by reason.
    public var rejected: [StratumRejectReason: UInt64]
    /// Accepted pseudo-shares that were sharechain shares.
    public var shares: UInt64
    /// Submits that were blocks.
    public var blocks: UInt64
    /// The coinbase size class its jobs are built for (nil until authorized).
    public var coinbaseSizeClass: CoinbaseSizeClass? = nil
    /// Why that class (e.g. `user agent: ESP-Miner (Bitaxe)`).
    public var coinbaseSizeClassReason: String? = nil
    /// Estimated hashes per second (display only).
    public var hashrate: Double
    /// Σ difficulty × 2^32 of the accepted pseudo-shares (`WorkerStats.acceptedDifficultyRaw`), exact.
    public var acceptedDifficultyRaw: UInt128 = 0
}
