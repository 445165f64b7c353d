/// One Stratum worker of `GET /api/v1/miners`.
public struct MinerRow: Sendable, Equatable {
    /// Payout address (the user name before the dot).
    public var address: String
    /// Worker name (after the dot); nil when none was given.
    public var worker: String?
    /// Current vardiff difficulty (display).
    public var difficulty: Double
    /// Pseudo-shares accepted.
    public var accepted: UInt64
    /// Pseudo-shares rejected.
    public var rejected: UInt64
    /// Estimated hashes per second.
    public var hashrate: Double
    /// Time of the last accepted pseudo-share, Unix seconds; nil before the first.
    public var lastShareTime: UInt64?
    /// The user agent from `mining.subscribe`.
    public var userAgent: String? = nil
    /// The coinbase size class its jobs are built for (nominal bytes, e.g. 384), nil until authorized.
    public var coinbaseClass: Int? = nil
    /// Why that class (`user agent: ESP-Miner (Bitaxe)`, `miner's password (cb=N)`, …).
    public var coinbaseClassReason: String? = nil

    /// Creates a row.
    public init(address: String, worker: String?, difficulty: Double, accepted: UInt64, rejected: UInt64,
                hashrate: Double, lastShareTime: UInt64?) {
        self.address = address
        self.worker = worker
        self.difficulty = difficulty
        self.accepted = accepted
        self.rejected = rejected
        self.hashrate = hashrate
        self.lastShareTime = lastShareTime
    }
}
