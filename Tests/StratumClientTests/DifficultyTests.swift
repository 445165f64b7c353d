import BitcoinPrimitives
import Testing
@testable import StratumClient

/// The client reads `mining.set_difficulty` into the node's one difficulty type
/// (`StratumDifficulty`, a multiple of 2^-32), rounding up: its target is never easier
/// than the pool's exact one.
@Suite("Stratum difficulty")
struct DifficultyTests {
    let diff1 = Work.difficultyOneTarget

    func read(_ text: String) -> StratumDifficulty? { StratumDifficulty(decimal: text, rounding: .up) }

    @Test("whole difficulties divide the difficulty-1 target")
    func whole() throws {
        #expect(try #require(read("1")).target == diff1)
        #expect(try #require(read("65536")).target == diff1 / UInt256(65536))
        #expect(try #require(read("3")).target == diff1 / UInt256(3))
        #expect(try #require(read("1024.0")).target == diff1 / UInt256(1024))
    }

    @Test("fractional difficulties round up to a multiple of 2^-32")
    func fractional() throws {
        let half = try #require(read("0.5"))
        #expect(half.target == diff1 * UInt256(2))
        // 2^32 / 10,000 = 429,496.7296 → 429,497.
        let small = try #require(read("0.0001"))
        #expect(small.raw == 429_497)
        #expect(small.target == (diff1 << 32) / UInt256(429_497))
        #expect(small.target <= diff1 * UInt256(10000))
        #expect(try #require(read("1e-4")) == small)
        #expect(try #require(read("0.00010")) == small)
        // 0.3 × 2^32 = 1,288,490,188.8 → 1,288,490,189.
        let third = try #require(read("0.3"))
        #expect(third.raw == 1_288_490_189)
        #expect(third.target <= (diff1 * UInt256(10)) / UInt256(3))
        #expect(try #require(read("2.5E+3")).target == diff1 / UInt256(2500))
    }

    @Test("tiny difficulties read as 2^-32, the easiest target")
    func tiny() throws {
        let easiest = StratumDifficulty(raw: 1)
        #expect(try #require(read("1e-80")) == easiest)
        #expect(try #require(read("3e-20")) == easiest)
        #expect(easiest.target == diff1 << 32)
        // 3 × 10^-10 × 2^32 = 1.288… → 2.
        let d = try #require(read("0.0000000003"))
        #expect(d.raw == 2)
        #expect(d.target == diff1 << 31)
        #expect(d.target > diff1)
    }

    @Test("rounding up never gives an easier target than the exact value",
          arguments: [(7, 9), (1000, 1000), (1, 3), (2, 7), (1, 1)])
    func roundingUpIsHarder(numerator: UInt64, denominator: UInt64) throws {
        // numerator / denominator as decimal text with 30 fraction digits (truncated: ≤ exact).
        var text = "\(numerator / denominator)."
        var remainder = numerator % denominator
        for _ in 0..<30 { remainder *= 10; text += "\(remainder / denominator)"; remainder %= denominator }
        let up = try #require(read(text))
        let down = try #require(StratumDifficulty(decimal: text))
        #expect(up.raw >= down.raw && up.raw - down.raw <= 1)
        // raw / 2^32 ≥ numerator / denominator, up to the truncated digits (< 10^-30).
        #expect(up.raw * UInt128(denominator) + 1 >= UInt128(numerator) << 32)
    }

    @Test("not a positive number", arguments: ["0", "0.0", "-1", "abc", "", "1..2", "1e", "1e5000"])
    func invalid(text: String) {
        #expect(read(text) == nil)
    }
}
