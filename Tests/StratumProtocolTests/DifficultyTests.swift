import BitcoinPrimitives
import Testing
@testable import StratumProtocol

@Suite("Stratum difficulty and vardiff")
struct DifficultyTests {
    @Test func policiesKeepWholeNumbersOnASICNetworks() {
        let main = VardiffPolicy.standard(for: .mainnet)
        #expect(main.clamp(StratumDifficulty(numerator: 5, denominator: 2)!) == StratumDifficulty(2))
        #expect(main.clamp(StratumDifficulty(numerator: 1, denominator: 8)!) == .one)
        let dev = VardiffPolicy.standard(for: .regtest)
        #expect(dev.clamp(StratumDifficulty(numerator: 1, denominator: 8)!) == StratumDifficulty(numerator: 1, denominator: 8))
        #expect(dev.clamp(StratumDifficulty(raw: 1)) == StratumDifficulty(numerator: 1, denominator: 65536))
    }

    @Test func vardiffRaisesForFastMinersWithinTheFactorBound() {
        let t0 = ContinuousClock.now
        var v = Vardiff(policy: .standard(for: .mainnet), now: t0)
        #expect(v.difficulty == StratumDifficulty(1024))
        var changed: StratumDifficulty?
        for i in 1...200 where changed == nil {  // 200 shares in 10 s: 1,200/min
            changed = v.recordShare(now: t0 + .milliseconds(i * 50))
        }
        #expect(changed == StratumDifficulty(4096))  // 80× the rate, bounded to ×4
    }

    @Test func vardiffHoldsInsideTheBandAndLowersForQuietMiners() {
        let t0 = ContinuousClock.now
        var v = Vardiff(policy: .standard(for: .mainnet), now: t0)
        for i in 1...15 { #expect(v.recordShare(now: t0 + .seconds(i * 4)) == nil) }  // 15/min
        #expect(v.evaluate(now: t0 + .seconds(61)) == nil)
        #expect(v.difficulty == StratumDifficulty(1024))
        // 3 shares in the next minute: 3/min → ×1/5, bounded to ×1/4
        for i in 1...3 { _ = v.recordShare(now: t0 + .seconds(61 + i * 15)) }
        #expect(v.evaluate(now: t0 + .seconds(122)) == StratumDifficulty(256))
        // silence: ÷4 per window, never below the minimum
        var t = t0 + .seconds(122)
        for _ in 0..<10 { t += .seconds(61); _ = v.evaluate(now: t) }
        #expect(v.difficulty == .one)
    }

    @Test func vardiffGoesFractionalOnDevnet() {
        let t0 = ContinuousClock.now
        var v = Vardiff(policy: .standard(for: .regtest), now: t0)
        var t = t0
        for _ in 0..<10 { t += .seconds(61); _ = v.evaluate(now: t) }
        #expect(v.difficulty == StratumDifficulty(numerator: 1, denominator: 65536))
        #expect(!v.difficulty.isWhole)
        // 2 shares/min is 7.5× too slow: lowered by the bounded factor 4
        var w = Vardiff(policy: .standard(for: .regtest), now: t0)
        _ = w.recordShare(now: t0 + .seconds(20))
        _ = w.recordShare(now: t0 + .seconds(40))
        #expect(w.evaluate(now: t0 + .seconds(60)) == StratumDifficulty(numerator: 1, denominator: 512 * 4))
    }
}
