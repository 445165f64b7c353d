import BitcoinPrimitives
import TIDES
import Testing

/// Splits with a kept `AllocationMemo` equal splits computed from scratch, whatever the memo
/// holds: the same reward and window, a changed reward, a changed capacity, and one memo
/// shared by two windows whose script ids name different scripts.
@Suite struct AllocationMemoTests {
    @Test(arguments: [UInt64(1), 2_000, UInt64(1) << 60])
    func memoizedSplitsEqualFreshOnes(workScale: UInt64) {
        var rng = SplitMix64(seed: workScale)
        let unit = UInt256(workScale)
        var windows = [TidesWindow(capacity: unit * UInt256(400)), TidesWindow(capacity: unit * UInt256(250))]
        var memo: AllocationMemo? = AllocationMemo()
        var reward = amount(312_500_000)
        var reused = 0
        for step in 0..<600 {
            let w = step % 7 == 3 ? 1 : 0  // mostly one window, sometimes the other (ids collide)
            let script = testScript(UInt8(rng.below(w == 0 ? 60 : 25)) &+ UInt8(w * 100))
            windows[w].append(TidesShare(script: script, work: unit * UInt256(1 + rng.below(9))))
            if step % 97 == 50 { reward = amount(reward.satoshis + Int64(rng.below(10_000))) }
            if step % 131 == 70 { windows[w].setCapacity(unit * UInt256(300 + rng.below(200))) }
            let weights = windows[w].weights()
            let seed = Hash256(bytes: (0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) })!
            let fresh = Tides.split(reward: reward, weights: weights, parameters: params(budget: 1_500), lotterySeed: seed)
            let kept = Tides.split(reward: reward, weights: weights, parameters: params(budget: 1_500),
                                   lotterySeed: seed, memo: &memo)
            #expect(kept == fresh, "step \(step)")
            #expect(kept.allocation.reduce(0) { $0 + $1.amount.satoshis } == reward.satoshis)
            if weights.count > 1 { reused += 1 }
        }
        #expect(reused > 500)
    }
}
