// The home-miner mode: solo numbers a user can check by hand, and TIDES beside them.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PayoutSimulation
import Testing

@Suite("Home miner")
struct HomeMinerTests {
    @Test("Solo: 100 PH/s on 700 EH/s at 3.125 BTC: λ = 144 × h / H per day, P(nothing) = e^(−λt)")
    func soloByHand() {
        let network = NetworkModel(hashrate: 700e18, blockInterval: 600, reward: 312_500_000)
        var input = HomeMiner.Input(hashrate: 100e15, network: network, poolHashrate: 7e18)
        input.trials = 300
        let a = HomeMiner.answer(input)
        // By hand: λ = 144 × 1e17 / 7e20 = 0.0205714 blocks/day.
        let lambda = 0.020_571_428_6
        #expect(abs(a.expectedPerDay - lambda * 312_500_000) < 1)          // 6,428,571 sat/day
        #expect(abs(a.solo.nothingInWeek - exp(-7 * lambda)) < 1e-9)        // 0.8659
        #expect(abs(a.solo.nothingInMonth - exp(-30 * lambda)) < 1e-9)      // 0.5397
        #expect(abs(a.solo.firstPayoutDays! - 1 / lambda) < 1e-6)           // 48.6 days
        // TIDES pays the same in expectation but far more often: this miner has a share every
        // ~2 hours and ~1% of a 7 EH/s pool, so it is paid an output of its own within days.
        #expect(a.tides.nothingInMonth < 0.01)
        #expect((a.firstDirectOutputDays ?? .infinity) < 30)
    }

    @Test("A 1.2 TH/s miner behind 30-second shares of a 35 EH/s pool waits decades for a share")
    func tinyMiner() {
        let network = NetworkModel(hashrate: 700e18, blockInterval: 600, reward: 312_500_000)
        var input = HomeMiner.Input(hashrate: 1.2e12, network: network, poolHashrate: 35e18)
        input.trials = 200
        let a = HomeMiner.answer(input)
        #expect(abs(a.expectedPerDay - 144 * 1.2e12 / 700e18 * 312_500_000) < 0.01)  // 77.1 sat/day
        #expect(a.daysPerShare > 365 * 20)
        #expect(a.tides.nothingInMonth > 0.99)
    }
}
