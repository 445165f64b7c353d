import Testing
@testable import BitcoinPrimitives

private struct CompactVectors: Decodable {
    struct Case: Decodable {
        let compact: String
        let result: String?
        let error: String?
        let recompact: String?
    }
    struct GetCase: Decodable {
        let target: String
        let compact: String
    }
    let cases: [Case]
    let getCompact: [GetCase]
}

@Suite struct CompactTargetTests {
    /// Bitcoin Core's `SetCompact` cases; Tidepool turns Core's zero/negative/overflow
    /// flags into errors.
    @Test func setCompactMatchesBitcoinCore() throws {
        let v: CompactVectors = try Vectors.load("compact")
        for c in v.cases {
            let bits = try #require(CompactTarget(hex: c.compact))
            if let error = c.error {
                let expected: CompactTarget.DecodeError =
                    error == "zero" ? .zero : error == "negative" ? .negative : .overflow
                #expect(throws: expected, "\(c.compact)") { try bits.target() }
            } else {
                let target = try bits.target()
                #expect(target == UInt256(hex: try #require(c.result)), "\(c.compact)")
                #expect(CompactTarget(target: target).hex == c.recompact, "\(c.compact)")
            }
        }
    }

    @Test func getCompactMatchesBitcoinCore() throws {
        let v: CompactVectors = try Vectors.load("compact")
        for c in v.getCompact {
            let target = try #require(UInt256(hex: c.target))
            #expect(CompactTarget(target: target).hex == c.compact, "\(c.target)")
        }
    }

    @Test func hexParsing() {
        #expect(CompactTarget(hex: "1d00ffff")?.rawValue == 0x1d00ffff)
        #expect(CompactTarget(hex: "1d00fff") == nil)
        #expect(CompactTarget(hex: "1d00fffg") == nil)
        #expect(CompactTarget(rawValue: 0x0300_0001).hex == "03000001")
    }
}

@Suite struct WorkTests {
    @Test func workOfDifficultyOne() throws {
        #expect(try Work.of(bits: CompactTarget(rawValue: 0x1d00ffff)) == UInt256(4_295_032_833))
        #expect(Work.of(target: Work.difficultyOneTarget) == UInt256(4_295_032_833))
    }

    @Test func workOfExtremeTargets() {
        #expect(Work.of(target: .max) == .one)
        // 2^256 / 2 = 2^255.
        #expect(Work.of(target: .one) == UInt256.one << 255)
        // Target 2^255 - 1: 2^256 / 2^255 = 2.
        #expect(Work.of(target: (UInt256.one << 255) - .one) == UInt256(2))
        // Regtest's easiest target 0x207fffff: floor(2^256 / (0x7fffff·2^232 + 1)) = 2.
        #expect(Work.of(target: UInt256(0x7f_ffff) << 232) == UInt256(2))
    }

    @Test func invalidBitsAreErrors() {
        #expect(throws: CompactTarget.DecodeError.zero) { try Work.of(bits: CompactTarget(rawValue: 0)) }
        #expect(throws: CompactTarget.DecodeError.negative) { try Work.of(bits: CompactTarget(rawValue: 0x04923456)) }
        #expect(throws: CompactTarget.DecodeError.overflow) { try Work.of(bits: CompactTarget(rawValue: 0xff123456)) }
    }

    @Test func meets() throws {
        let target = try CompactTarget(rawValue: 0x1d00ffff).target()
        let genesis = try #require(Hash256(displayHex: "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"))
        #expect(Work.meets(genesis, target: target))
        #expect(!Work.meets(genesis, target: UInt256(hex: "19d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26e")!))
    }
}
