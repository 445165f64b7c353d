import BitcoinPrimitives
import TIDES

/// SplitMix64: a tiny deterministic generator so every test input is reproducible.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: UInt64) -> UInt64 { next() % n }
}

/// A P2WPKH-shaped script whose program is `n` repeated (distinct per n).
func testScript(_ n: UInt8, length: Int = 20) -> Script {
    Script([0x00, UInt8(length)] + [UInt8](repeating: n, count: length))
}

func amount(_ sat: Int64) -> Amount { Amount(satoshis: sat)! }

let zeroSeed = Hash256(bytes: [UInt8](repeating: 0, count: 32))!

func params(multiplier: UInt64 = 8, dust: Int64 = 546, budget: Int = 500) -> TidesParameters {
    TidesParameters(windowMultiplier: multiplier, dustLimit: amount(dust), payoutBudgetBytes: budget)
}
