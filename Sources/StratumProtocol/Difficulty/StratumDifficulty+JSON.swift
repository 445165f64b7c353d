import BitcoinPrimitives
import JSON

extension StratumDifficulty {
    /// The value as a JSON number (exact), as `mining.set_difficulty` sends it.
    public var json: JSONValue { .number(description) }
}

extension UInt256 {
    /// A 128-bit value widened (a difficulty's `raw`, for vardiff's 256-bit arithmetic).
    init(_ value: UInt128) {
        self.init(w0: UInt64(truncatingIfNeeded: value), w1: UInt64(truncatingIfNeeded: value >> 64), w2: 0, w3: 0)
    }
}
