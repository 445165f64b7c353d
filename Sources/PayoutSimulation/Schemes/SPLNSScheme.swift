/// Laurentia's SPLNS (Con Kolivas, for Laurentia Pool), as its paper defines it:
///
/// - HERP: each share is worth `sqrt(min(share diff, network diff) / work diff) × work diff / 2`.
/// - The pool's HERP is summed until it reaches `5 × network difficulty`; after that, once a
///   minute, the existing HERP of the pool and of every user is scaled down by one factor so the
///   latest minute's HERP fits.
/// - DERP: a user's reward is its HERP over the pool's HERP, the expected reward if a block
///   were found now.
/// - A block's own (large) HERP counts toward the next block, since the found block's rewards
///   were fixed before it was found.
///
/// Decisions where the paper is silent: a block also closes the current minute (pending HERP is
/// committed before the payout); HERP is kept in units of the work difficulty.
final class SPLNSScheme: PayoutScheme {
    let kind = SchemeKind.splns
    var paysFindingShare: Bool { false }
    /// Committed HERP per miner is `raw[i] × scale` (one multiply rescales everybody).
    private var raw: [Double]
    private var scale = 1.0
    private var poolHerp = 0.0
    private var pending: [Double]
    private var pendingTouched: [Int] = []
    private var pendingSum = 0.0
    private var minute: Double
    /// Network difficulty over work difficulty (`min` cap), and the pool's cap `5 × that`.
    private let networkRatio: Double
    private let cap: Double
    private let interval: Double
    private let reward: Double

    init(miners: Int, networkOverWork: Double, windowMultiplier: Double, interval: Double, reward: Double) {
        raw = Array(repeating: 0, count: miners)
        pending = Array(repeating: 0, count: miners)
        networkRatio = networkOverWork
        cap = windowMultiplier * networkOverWork
        self.interval = interval
        self.reward = reward
        minute = 0
    }

    /// HERP of one share, in units of the work difficulty.
    @inline(__always)
    func herp(excess: Double) -> Double { Swift.min(excess, networkRatio).squareRoot() / 2 }

    func share(miner: Int, excess: Double, time: Double, isBlock: Bool, payouts: inout BlockPayouts) {
        if time >= minute + interval {
            commit()
            minute = (time / interval).rounded(.down) * interval
        }
        if isBlock {
            commit()
            for i in raw.indices where raw[i] > 0 { payouts.pay(i, reward * raw[i] * scale / poolHerp) }
            payouts.outputs = payouts.touched.count
        }
        let h = herp(excess: excess)
        if pending[miner] == 0 { pendingTouched.append(miner) }
        pending[miner] += h
        pendingSum += h
    }

    /// Adds the pending minute's HERP, scaling the existing HERP down if it would pass the cap.
    private func commit() {
        guard pendingSum > 0 else { return }
        if poolHerp + pendingSum > cap {
            let s = Swift.max(0, (cap - pendingSum) / poolHerp)
            if s < 1e-300 {
                for i in raw.indices { raw[i] = 0 }
                scale = 1
                poolHerp = 0
            } else {
                scale *= s
                poolHerp *= s
            }
        }
        for i in pendingTouched {
            raw[i] += pending[i] / scale
            pending[i] = 0
        }
        poolHerp += pendingSum
        pendingSum = 0
        pendingTouched.removeAll(keepingCapacity: true)
        if scale < 1e-120 {
            for i in raw.indices { raw[i] *= scale }
            scale = 1
        }
    }

    func rewardFractions() -> [Double] {
        // What a block found now would pay: pending HERP is committed first.
        var total = poolHerp, s = scale
        if poolHerp + pendingSum > cap { s *= Swift.max(0, (cap - pendingSum) / poolHerp); total *= s / scale }
        total += pendingSum
        guard total > 0 else { return raw.map { _ in 0 } }
        return raw.indices.map { (raw[$0] * s + pending[$0]) / total }
    }
}
