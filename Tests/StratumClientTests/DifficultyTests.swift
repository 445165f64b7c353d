import BitcoinPrimitives
import Testing
@testable import StratumClient

@Suite("Stratum difficulty")
struct DifficultyTests {
    let diff1 = Work.difficultyOneTarget

    @Test("whole difficulties divide the difficulty-1 target")
    func whole() throws {
        #expect(try #require(StratumDifficulty(jsonNumber: "1")).target == diff1)
        #expect(try #require(StratumDifficulty(jsonNumber: "65536")).target == diff1 / UInt256(65536))
        #expect(try #require(StratumDifficulty(jsonNumber: "3")).target == diff1 / UInt256(3))
        #expect(try #require(StratumDifficulty(jsonNumber: "1024.0")).target == diff1 / UInt256(1024))
    }

    @Test("fractional difficulties are exact rationals")
    func fractional() throws {
        let half = try #require(StratumDifficulty(jsonNumber: "0.5"))
        #expect(half.target == diff1 * UInt256(2))
        let small = try #require(StratumDifficulty(jsonNumber: "0.0001"))
        #expect(small.numerator == .one && small.denominator == UInt256(10000))
        #expect(small.target == diff1 * UInt256(10000))
        #expect(try #require(StratumDifficulty(jsonNumber: "1e-4")) == small)
        #expect(try #require(StratumDifficulty(jsonNumber: "0.00010")) == small)
        let third = try #require(StratumDifficulty(jsonNumber: "0.3"))
        #expect(third.target == (diff1 * UInt256(10)) / UInt256(3))
        #expect(try #require(StratumDifficulty(jsonNumber: "2.5E+3")).target == diff1 / UInt256(2500))
    }

    @Test("tiny difficulties cap the target at 2^256 - 1")
    func tiny() throws {
        #expect(try #require(StratumDifficulty(jsonNumber: "1e-80")).target == .max)
        #expect(try #require(StratumDifficulty(jsonNumber: "3e-20")).target == .max)
        // diff1 × 10^10 needs 257 bits, the quotient does not: 0xffff / 3 = 21845 exactly.
        let d = try #require(StratumDifficulty(jsonNumber: "0.0000000003"))
        #expect(d.target == (UInt256(21845) * UInt256(10_000_000_000)) << 208)
        #expect(d.target > diff1)
    }

    @Test("multiplyDivide is exact where the product fits", arguments: [(7, 9, 4), (1000, 1000, 7), (0, 5, 3)])
    func multiplyDivide(a: UInt64, b: UInt64, c: UInt64) {
        #expect(StratumDifficulty.multiplyDivide(UInt256(a), UInt256(b), UInt256(c)) == UInt256(a * b / c))
    }

    @Test("not a positive number", arguments: ["0", "0.0", "-1", "abc", "", "1..2", "1e", "1e5000"])
    func invalid(text: String) {
        #expect(StratumDifficulty(jsonNumber: text) == nil)
    }
}
