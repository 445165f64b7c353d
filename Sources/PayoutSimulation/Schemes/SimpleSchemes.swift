/// Solo mining: the finder keeps the whole reward.
final class SoloScheme: PayoutScheme {
    let kind = SchemeKind.solo
    private let reward: Double
    private let minerCount: Int
    private var lastMiner = -1
    init(miners: Int, reward: Double) { self.reward = reward; minerCount = miners }

    func share(miner: Int, excess: Double, time: Double, isBlock: Bool, payouts: inout BlockPayouts) {
        lastMiner = miner
        guard isBlock else { return }
        payouts.pay(miner, reward)
        payouts.outputs = 1
    }

    func rewardFractions() -> [Double] {
        (0..<minerCount).map { $0 == lastMiner ? 1 : 0 }
    }
}

/// Proportional per round: a block pays the shares since the previous block, pro rata, then
/// the round restarts. Its expected value per share falls as the round grows, so it rewards
/// hopping; it is here as the reference that shows what "hop-proof" rules out.
final class ProportionalScheme: PayoutScheme {
    let kind = SchemeKind.proportional
    private var counts: [Int]
    private var touched: [Int] = []
    private var total = 0
    private let reward: Double
    init(miners: Int, reward: Double) { counts = Array(repeating: 0, count: miners); self.reward = reward }

    func share(miner: Int, excess: Double, time: Double, isBlock: Bool, payouts: inout BlockPayouts) {
        if counts[miner] == 0 { touched.append(miner) }
        counts[miner] += 1
        total += 1
        guard isBlock else { return }
        for i in touched { payouts.pay(i, reward * Double(counts[i]) / Double(total)); counts[i] = 0 }
        payouts.outputs = touched.count
        touched.removeAll(keepingCapacity: true)
        total = 0
    }

    func rewardFractions() -> [Double] { counts.map { Double($0) / Double(Swift.max(total, 1)) } }
}

/// Jeremy Rubin's coordination-free sharing ("Trustless Coordination-Free Mining Pools", 2019):
/// a sharing miner keeps `1 − s` of its block's reward and pays `s` to the finders of the
/// qualifying earlier sharing blocks (the look-back), in proportion to the fraction each of
/// those blocks shared. A non-sharing miner keeps its whole block. Blocks found before any
/// sharing block exists share nothing and are recorded as sharing 0 (his bootstrap).
final class RubinScheme: PayoutScheme {
    let kind = SchemeKind.rubin
    private struct Entry { var miner: Int; var time: Double; var shared: Double }
    private var lookback: [Entry] = []
    private var head = 0
    private var sharedSum = 0.0
    private let sharing: [Bool]
    private let fraction: Double
    private let rule: RubinLookback
    private let reward: Double

    init(sharing: [Bool], fraction: Double, lookback: RubinLookback, reward: Double) {
        self.sharing = sharing
        self.fraction = fraction
        rule = lookback
        self.reward = reward
    }

    var lookbackCount: Int { lookback.count - head }

    func share(miner: Int, excess: Double, time: Double, isBlock: Bool, payouts: inout BlockPayouts) {
        guard isBlock else { return }
        guard sharing[miner] else {
            payouts.pay(miner, reward)
            payouts.outputs = 1
            return
        }
        let live = lookback[head...]
        let shares = live.isEmpty ? 0 : fraction
        payouts.pay(miner, (1 - shares) * reward)
        if !live.isEmpty {
            let pot = shares * reward
            if sharedSum > 1e-12 {
                for e in live where e.shared > 0 { payouts.pay(e.miner, e.shared / sharedSum * pot) }
            } else {
                for e in live { payouts.pay(e.miner, pot / Double(live.count)) }
            }
        }
        payouts.outputs = payouts.touched.count
        lookback.append(Entry(miner: miner, time: time, shared: shares))
        sharedSum += shares
        switch rule {
        case .blocks(let n):
            while lookbackCount > n { pop() }
        case .seconds(let span):
            // His queue: after appending, drop the oldest once if the span reached the look-back.
            if lookback[lookback.count - 1].time - lookback[head].time >= span { pop() }
        }
        if head > 4096 && head * 2 > lookback.count { lookback.removeFirst(head); head = 0 }
    }

    private func pop() {
        sharedSum -= lookback[head].shared
        head += 1
        if head == lookback.count { sharedSum = 0 }
    }

    func rewardFractions() -> [Double] { sharing.map { _ in 0 } }
}
