import BitcoinPrimitives

/// What a job is built for: the miner's payout script (the share header's `s0`) and
/// the coinbase size class its firmware can take (Docs/FIRMWARE.md). Connections with
/// the same key get the same job; a new tip is one job per key.
public struct JobKey: Sendable, Hashable, CustomStringConvertible {
    /// The payout script the coinbase's share header commits to.
    public var payoutScript: Script
    /// The class the miner's firmware was given; the job may declare a smaller one
    /// (e.g. when a full block leaves less room for the coinbase).
    public var coinbaseSizeClass: CoinbaseSizeClass

    /// Creates a key.
    public init(payoutScript: Script, coinbaseSizeClass: CoinbaseSizeClass) {
        self.payoutScript = payoutScript
        self.coinbaseSizeClass = coinbaseSizeClass
    }

    /// `script-hex/class`.
    public var description: String { "\(payoutScript.hex)/\(coinbaseSizeClass)" }

    /// Orders keys by script bytes, then class (a deterministic build order).
    public static func precedes(_ a: JobKey, _ b: JobKey) -> Bool {
        a.payoutScript == b.payoutScript ? a.coinbaseSizeClass < b.coinbaseSizeClass
            : a.payoutScript.bytes.lexicographicallyPrecedes(b.payoutScript.bytes)
    }
}
