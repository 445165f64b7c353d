import BitcoinPrimitives
import Testing
@testable import TIDES

@Suite("TIDES allocation (step 4)")
struct AllocationTests {
    @Test("amounts always sum to the reward exactly", arguments: 0..<200)
    func exactSum(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let payees = Int(rng.below(60)) + 1
        var entries: [WindowWeights.Entry] = []
        for i in 0..<payees {
            let work = UInt256(rng.next() | 1) << Int(rng.below(150))
            entries.append(.init(script: testScript(UInt8(i)), work: work))
        }
        let reward = [Int64(rng.below(21_000_000 * 100_000_000)), Int64(rng.below(1000)), 0, 625_000_000][seed % 4]
        let alloc = Tides.allocate(reward: amount(reward), weights: WindowWeights(unsorted: entries))
        #expect(alloc.map(\.amount.satoshis).reduce(0, +) == reward)
        #expect(alloc.count == payees)
    }

    @Test("floor shares, then leftover satoshis by largest remainder")
    func largestRemainder() {
        // W = 6: weights 1, 2, 3; V = 10 → exact 1.67, 3.33, 5 → floors 1, 3, 5; leftover 1
        // remainders (10·1 mod 6 = 4, 10·2 mod 6 = 2, 0) → first payee gets it.
        let w = WindowWeights(unsorted: [.init(script: testScript(1), work: 1),
                                         .init(script: testScript(2), work: 2),
                                         .init(script: testScript(3), work: 3)])
        let alloc = Tides.allocate(reward: amount(10), weights: w)
        #expect(alloc.map(\.amount.satoshis) == [2, 3, 5])
    }

    @Test("equal remainders are broken by script bytes ascending")
    func tieBreak() {
        // Three equal weights, V = 2: each remainder is 2, two leftover satoshis
        // go to the two smallest scripts.
        let scripts = [testScript(9), testScript(3), testScript(5)]
        let w = WindowWeights(unsorted: scripts.map { .init(script: $0, work: 7) })
        let alloc = Tides.allocate(reward: amount(2), weights: w)
        #expect(alloc.map(\.script) == [testScript(3), testScript(5), testScript(9)])
        #expect(alloc.map(\.amount.satoshis) == [1, 1, 0])
    }

    @Test("a shorter script that is a prefix sorts first")
    func prefixOrder() {
        let short = Script([0x51]), long = Script([0x51, 0x00])
        let w = WindowWeights(unsorted: [.init(script: long, work: 1), .init(script: short, work: 1)])
        let alloc = Tides.allocate(reward: amount(1), weights: w)
        #expect(alloc.first { $0.amount.satoshis == 1 }?.script == short)
    }
}

@Suite("Exact scaled division")
struct ScaledQuotientTests {
    @Test("equals the 256-bit product and quotient whenever the product fits", arguments: 0..<100)
    func matchesDirect(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &+ 1000)
        let d = UInt256(w0: rng.next(), w1: rng.next(), w2: rng.next() >> 20, w3: 0) | .one
        let a = d >> Int(rng.below(100))
        let b = rng.next() >> 13
        let (q, r) = UInt256.scaledQuotient(a, times: b, dividedBy: d)
        let product = a * UInt256(b)
        #expect(UInt256(q) == product / d)
        #expect(r == product % d)
    }

    @Test("weights near 2^256 still split exactly")
    func hugeWeights() {
        let half = UInt256.max >> 1
        let w = WindowWeights(unsorted: [.init(script: testScript(1), work: half),
                                         .init(script: testScript(2), work: half - UInt256(12345))])
        let alloc = Tides.allocate(reward: Amount.maxMoney, weights: w)
        #expect(alloc.map(\.amount.satoshis).reduce(0, +) == Amount.maxMoney.satoshis)
        #expect(alloc[0].amount.satoshis - alloc[1].amount.satoshis <= 1)
    }
}

/// Bit-by-bit reference for `scaledQuotient` (Horner's rule over the bits of b,
/// remainder kept below d): slow but obviously right.
func referenceScaledQuotient(_ a: UInt256, times b: UInt64, dividedBy d: UInt256) -> (UInt64, UInt256) {
    var q: UInt64 = 0
    var r = UInt256.zero
    var bit = 63 - b.leadingZeroBitCount
    while bit >= 0 {
        let (doubled, carry) = r.addingReportingOverflow(r)
        q <<= 1
        if carry || doubled >= d { r = doubled &- d; q += 1 } else { r = doubled }
        if (b >> UInt64(bit)) & 1 == 1 {
            let (sum, c) = r.addingReportingOverflow(a)
            if c || sum >= d { r = sum &- d; q += 1 } else { r = sum }
        }
        bit -= 1
    }
    return (q, r)
}

@Suite("Exact scaled division against the bitwise reference")
struct ScaledQuotientReferenceTests {
    @Test("random operands of every limb size", arguments: 0..<400)
    func random(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 31 &+ 7)
        let limbs = seed % 4 + 1
        var d = UInt256.zero
        for i in 0..<limbs { d = d | (UInt256(rng.next()) << (64 * i)) }
        d = d >> Int(rng.below(64))
        if d.isZero { d = .one }
        let a: UInt256 = [d, d - (d >> 1), d >> Int(rng.below(200)), UInt256(rng.next()) % d][seed % 4]
        let b: UInt64 = [rng.next(), UInt64.max, rng.next() >> 13, 1][seed % 4 == 3 ? 3 : Int(rng.below(3))]
        let (q, r) = UInt256.scaledQuotient(a, times: b, dividedBy: d)
        let (rq, rr) = referenceScaledQuotient(a, times: b, dividedBy: d)
        #expect(q == rq && r == rr, "a=\(a.hexString) b=\(b) d=\(d.hexString)")
    }
}
