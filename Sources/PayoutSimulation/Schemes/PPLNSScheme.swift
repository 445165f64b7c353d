/// Pay Per Last N Shares: a block pays the last `N` of share work pro rata, with no round
/// boundaries ("shifts"), the window counted in work (here every share has the same work).
final class PPLNSScheme: PayoutScheme {
    let kind = SchemeKind.pplns
    private var ring: [Int32]
    private var next = 0
    private var filled = 0
    private var counts: [Int]
    private let reward: Double

    /// `windowShares` = N / share difficulty, at least 1.
    init(miners: Int, windowShares: Int, reward: Double) {
        ring = Array(repeating: -1, count: Swift.max(1, windowShares))
        counts = Array(repeating: 0, count: miners)
        self.reward = reward
    }

    func share(miner: Int, excess: Double, time: Double, isBlock: Bool, payouts: inout BlockPayouts) {
        let old = ring[next]
        if old >= 0 { counts[Int(old)] -= 1 } else { filled += 1 }
        ring[next] = Int32(miner)
        counts[miner] += 1
        next = next + 1 == ring.count ? 0 : next + 1
        guard isBlock else { return }
        let f = Double(filled)
        for i in counts.indices where counts[i] > 0 { payouts.pay(i, reward * Double(counts[i]) / f) }
        payouts.outputs = payouts.touched.count
    }

    func rewardFractions() -> [Double] { counts.map { Double($0) / Double(Swift.max(filled, 1)) } }
}
