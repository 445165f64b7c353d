import BitcoinPrimitives

/// The outcome of steps 5–6: who gets an output of their own and who won the lottery.
public struct BudgetedPayout: Sendable, Equatable {
    /// Entries paid directly, in output order (amount descending, then script ascending).
    public var paid: [PayoutEntry]
    /// Entries that went to the lottery, in the same order.
    public var lotteryEntries: [PayoutEntry]
    /// The pooled lottery amount `S`.
    public var lotteryPool: Amount
    /// The lottery winner (paid `lotteryPool`), or nil when the pool is zero.
    public var lotteryWinner: Script?

    /// Payout outputs in coinbase order: the paid entries, then the lottery winner.
    public var outputs: [PayoutEntry] {
        guard let winner = lotteryWinner else { return paid }
        return paid + [PayoutEntry(script: winner, amount: lotteryPool)]
    }
}

extension Tides {
    /// Serialized size of one transaction output paying `script`: 8-byte value,
    /// CompactSize script length, script.
    public static func outputSize(_ script: Script) -> Int {
        8 + compactSizeLength(UInt64(script.bytes.count)) + script.bytes.count
    }

    /// The step-5 order: amount descending, then script bytes ascending.
    public static func outputOrder(_ a: PayoutEntry, _ b: PayoutEntry) -> Bool {
        a.amount != b.amount ? a.amount > b.amount : a.script < b.script
    }

    /// `entries` in step-5 order. When they arrive in script order (as `allocate`
    /// returns them), ties in amount are broken by position, which is the script
    /// order, so no script bytes are compared while sorting.
    static func stepFiveOrder(_ entries: [PayoutEntry]) -> [PayoutEntry] {
        var byScript = entries
        if !zip(entries, entries.dropFirst()).allSatisfy({ !($0.1.script < $0.0.script) }) {
            byScript.sort { $0.script < $1.script }
        }
        let order = byScript.indices.sorted { a, b in
            byScript[a].amount != byScript[b].amount ? byScript[a].amount > byScript[b].amount : a < b
        }
        return order.map { byScript[$0] }
    }

    /// Steps 5–6: pays entries while they clear the dust limit and the byte budget
    /// (less the lottery reserve); the first entry that does not, and every entry
    /// after it, enters the lottery. The lottery draws one winner with probability
    /// proportional to amount using `SHA256d(seed)` as a little-endian number.
    public static func applyBudget(
        _ entries: [PayoutEntry], parameters: TidesParameters, lotterySeed: Hash256
    ) -> BudgetedPayout {
        let ordered = stepFiveOrder(entries)
        let limit = parameters.payoutBudgetBytes - TidesParameters.lotteryReserveBytes
        var used = 0
        var cut = ordered.count
        for (i, entry) in ordered.enumerated() {
            let size = outputSize(entry.script)
            if entry.amount < parameters.dustLimit || used + size > limit {
                cut = i
                break
            }
            used += size
        }
        let paid = Array(ordered[..<cut])
        let lottery = Array(ordered[cut...])
        let pool = Amount.sum(lottery.map(\.amount))!  // a split of one valid amount
        return BudgetedPayout(
            paid: paid, lotteryEntries: lottery, lotteryPool: pool,
            lotteryWinner: drawLottery(lottery, pool: pool, seed: lotterySeed))
    }

    /// Step 6: `r = UInt256(littleEndian: SHA256d(seed)) mod S`; the first entry
    /// whose running sum exceeds `r` wins. Nil when `S` is zero.
    public static func drawLottery(_ entries: [PayoutEntry], pool: Amount, seed: Hash256) -> Script? {
        guard pool.satoshis > 0 else { return nil }
        let r = (SHA256d.hash(seed.bytes).asUInt256 % UInt256(UInt64(pool.satoshis))).w0
        var running: UInt64 = 0
        for entry in entries {
            running += UInt64(entry.amount.satoshis)
            if running > r { return entry.script }
        }
        preconditionFailure("lottery pool does not match its entries")
    }
}
