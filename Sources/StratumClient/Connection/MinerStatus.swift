import BitcoinPrimitives

/// A snapshot for the status line.
public struct MinerStatus: Sendable, Equatable, CustomStringConvertible {
    /// Hashes per second since the previous snapshot.
    public var hashrate: Double
    /// Shares the pool accepted.
    public var accepted: UInt64
    /// Shares the pool rejected.
    public var rejected: UInt64
    /// The pool's current difficulty.
    public var difficulty: StratumDifficulty
    /// Whether the session is authorized and mining.
    public var mining: Bool

    /// Creates a snapshot.
    public init(hashrate: Double, accepted: UInt64, rejected: UInt64, difficulty: StratumDifficulty, mining: Bool) {
        self.hashrate = hashrate
        self.accepted = accepted
        self.rejected = rejected
        self.difficulty = difficulty
        self.mining = mining
    }

    /// `hashrate 1.23 MH/s | accepted 10 rejected 0 | difficulty 0.001` (plus "(not connected)").
    public var description: String {
        "hashrate \(Self.format(hashrate)) | accepted \(accepted) rejected \(rejected) | difficulty \(difficulty)"
            + (mining ? "" : " | not mining")
    }

    /// A rate with an SI prefix, two decimals.
    public static func format(_ rate: Double) -> String {
        let units = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s"]
        var value = rate
        var unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) \(units[unit])"
    }
}
