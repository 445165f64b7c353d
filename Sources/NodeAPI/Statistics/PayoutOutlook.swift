import BitcoinPrimitives
import TIDES

/// What one payout script gets if a block were found now, read off the same
/// `TidesSplit` the coinbase would pay (`/api/v1/payouts`): exact satoshis.
public struct PayoutOutlook: Sendable, Hashable {
    /// The payout script.
    public var script: Script
    /// Its credited work in the TIDES window, exact.
    public var windowWork: UInt256
    /// The window's total credited work `W`, exact.
    public var totalWork: UInt256
    /// Its output if paid directly (0 when it is a lottery entry or absent).
    public var paid: Amount
    /// Its lottery entry (its proportional amount below the output threshold), 0 if none:
    /// also the lottery's expected value for it (it wins the pool with probability
    /// entry / pool).
    public var lotteryEntry: Amount
    /// The lottery pool.
    public var lotteryPool: Amount
    /// Whether it wins this split's lottery (the draw is seeded by the tip share).
    public var wonLottery: Bool

    /// Reads `script`'s part of `split`.
    public init(script: Script, split: TidesSplit) {
        self.script = script
        windowWork = split.weights.entries.first { $0.script == script }?.work ?? .zero
        totalWork = split.windowWork
        paid = split.budgeted.paid.first { $0.script == script }?.amount ?? .zero
        lotteryEntry = split.budgeted.lotteryEntries.first { $0.script == script }?.amount ?? .zero
        lotteryPool = split.budgeted.lotteryPool
        wonLottery = split.budgeted.lotteryWinner == script
    }

    /// Satoshis the coinbase would pay it if a block were found now: `paid`, plus the
    /// pool if it wins the lottery. Exact.
    public var ifFoundNow: Int64 { paid.satoshis + (wonLottery ? lotteryPool.satoshis : 0) }

    /// Expected satoshis over the lottery draw: `paid + lotteryEntry`. Exact.
    public var expectedValue: Int64 { paid.satoshis + lotteryEntry.satoshis }

    /// `windowWork / totalWork`, display only.
    public var windowShare: Double {  // display only
        totalWork.isZero ? 0 : windowWork.approximateDouble / totalWork.approximateDouble
    }
}
