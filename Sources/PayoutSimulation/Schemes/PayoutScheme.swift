/// What one block paid, collected by a scheme and read back by the simulator.
public struct BlockPayouts: Sendable {
    /// Amount per miner in this block (dense), satoshis.
    var amounts: [Double]
    /// True where the miner was paid through the TIDES lottery in this block.
    var viaLottery: [Bool]
    /// Miners with a non-zero amount in this block, in the order first paid.
    var touched: [Int] = []
    /// Coinbase payout outputs of this block.
    var outputs = 0
    /// Satoshis paid through the lottery in this block.
    var lotteryPool = 0.0

    init(miners: Int) {
        amounts = Array(repeating: 0, count: miners)
        viaLottery = Array(repeating: false, count: miners)
    }

    /// Credits `amount` to `miner` (several credits in one block add up).
    @inline(__always)
    mutating func pay(_ miner: Int, _ amount: Double, lottery: Bool = false) {
        guard amount > 0 else { return }
        if amounts[miner] == 0 { touched.append(miner) }
        amounts[miner] += amount
        if lottery { viaLottery[miner] = true }
    }

    mutating func reset() {
        for i in touched { amounts[i] = 0; viaLottery[i] = false }
        touched.removeAll(keepingCapacity: true)
        outputs = 0
        lotteryPool = 0
    }
}

/// A payout scheme driven share by share.
///
/// The simulator calls `share` for every share the pool finds, in order. When the share is
/// also a block (`isBlock`), the scheme pays that block's reward into `payouts`, in whatever
/// order its rule prescribes relative to counting the share itself.
protocol PayoutScheme: AnyObject {
    var kind: SchemeKind { get }
    /// One share by `miner`; `excess` is the share's hash difficulty over its work difficulty (≥ 1).
    func share(miner: Int, excess: Double, time: Double, isBlock: Bool, payouts: inout BlockPayouts)
    /// Each miner's fraction of the reward if a block were found on the share just counted
    /// (for expected-value accounting in the experiments). May be O(miners).
    func rewardFractions() -> [Double]
    /// True when a block pays the share that found it (so `rewardFractions` is read after `share`);
    /// false when the finding share only counts toward later blocks (SPLNS: read before).
    var paysFindingShare: Bool { get }
}

extension PayoutScheme {
    var paysFindingShare: Bool { true }
}
