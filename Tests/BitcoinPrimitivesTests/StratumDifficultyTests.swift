import BitcoinPrimitives
import Testing

/// The one Stratum difficulty (moved with the type from StratumProtocol's DifficultyTests).
@Suite("Stratum difficulty (2^-32 fixed point)")
struct StratumDifficultyTests {
    @Test func targetsAreExactIntegers() {
        #expect(StratumDifficulty.one.target == Work.difficultyOneTarget)
        #expect(StratumDifficulty(2).target == Work.difficultyOneTarget >> 1)
        let small = StratumDifficulty(numerator: 1, denominator: 65536)!
        #expect(small.target == Work.difficultyOneTarget << 16)
        #expect(StratumDifficulty(target: Work.difficultyOneTarget) == .one)
        #expect(StratumDifficulty(target: small.target) == small)
        #expect(StratumDifficulty(target: .zero).raw == .max)
    }

    @Test func decimalTextIsExactBothWays() {
        #expect(StratumDifficulty(1024).description == "1024")
        #expect(StratumDifficulty(numerator: 3, denominator: 2)!.description == "1.5")
        #expect(StratumDifficulty(numerator: 1, denominator: 65536)!.description == "0.0000152587890625")
        #expect(StratumDifficulty(decimal: "16") == StratumDifficulty(16))
        #expect(StratumDifficulty(decimal: "1.5e3") == StratumDifficulty(1500))
        #expect(StratumDifficulty(decimal: "0.5") == StratumDifficulty(numerator: 1, denominator: 2))
        #expect(StratumDifficulty(decimal: "1e-3") == StratumDifficulty(decimal: "0.001"))
        #expect(StratumDifficulty(decimal: "0.0000152587890625") == StratumDifficulty(numerator: 1, denominator: 65536))
        for bad in ["", "-1", "0", "abc", "1..2", "1e", "0.0", "1e999"] { #expect(StratumDifficulty(decimal: bad) == nil) }
    }

    @Test func decimalTextRoundsUpWhenAsked() {
        // 0.1 × 2^32 = 429,496,729.6
        #expect(StratumDifficulty(decimal: "0.1")?.raw == 429_496_729)
        #expect(StratumDifficulty(decimal: "0.1", rounding: .up)?.raw == 429_496_730)
        // Exact values are the same both ways.
        #expect(StratumDifficulty(decimal: "0.0000152587890625", rounding: .up) == StratumDifficulty(numerator: 1, denominator: 65536))
        #expect(StratumDifficulty(decimal: "1024", rounding: .up) == StratumDifficulty(1024))
        // Below 2^-32: refused rounding down, the smallest value rounding up.
        #expect(StratumDifficulty(decimal: "1e-12") == nil)
        #expect(StratumDifficulty(decimal: "1e-12", rounding: .up) == StratumDifficulty(raw: 1))
        // Digits past the 40th significant one still round up.
        #expect(StratumDifficulty(decimal: "1.0000000000000000000000000000000000000001", rounding: .up)
                    == StratumDifficulty(raw: (1 << 32) + 1))
        #expect(StratumDifficulty(decimal: "1.0000000000000000000000000000000000000001") == .one)
        for bad in ["", "-1", "0", "0.0", "abc", "1e999"] { #expect(StratumDifficulty(decimal: bad, rounding: .up) == nil) }
    }
}
