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
        var all: [PayoutEntry] = []
        all.reserveCapacity(paid.count + 1)
        all.append(contentsOf: paid)
        all.append(PayoutEntry(script: winner, amount: lotteryPool))
        return all
    }
}

extension Tides {
    /// Serialized size of one transaction output paying `script`: 8-byte value,
    /// CompactSize script length, script.
    public static func outputSize(_ script: Script) -> Int { outputSize(scriptLength: script.bytes.count) }

    /// Serialized size of one transaction output whose script is `length` bytes.
    public static func outputSize(scriptLength length: Int) -> Int { 8 + compactSizeLength(UInt64(length)) + length }

    /// The step-5 order: amount descending, then script bytes ascending.
    public static func outputOrder(_ a: PayoutEntry, _ b: PayoutEntry) -> Bool {
        a.amount != b.amount ? a.amount > b.amount : a.script < b.script
    }

    /// Steps 5–6: pays entries while they clear the dust limit and the byte budget
    /// (less the lottery reserve); the first entry that does not, and every entry
    /// after it, enters the lottery. The lottery draws one winner with probability
    /// proportional to amount using `SHA256d(seed)` as a little-endian number.
    ///
    /// Step-5 order is amount descending, then script bytes ascending. When the entries
    /// arrive in script order (as `allocate` returns them), ties in amount are broken by
    /// position, which is the script order, so no script bytes are compared while sorting
    /// (indices are sorted in a temporary buffer; no allocation beyond the results).
    public static func applyBudget(
        _ entries: [PayoutEntry], parameters: TidesParameters, lotterySeed: Hash256
    ) -> BudgetedPayout {
        var byScript = entries
        if !isInScriptOrder(entries) {
            byScript.sort { $0.script < $1.script }
        }
        let n = byScript.count
        let limit = parameters.payoutBudgetBytes - TidesParameters.lotteryReserveBytes
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: Swift.max(n, 1)) { buffer in
            let order = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
            for i in 0..<n { order[i] = Int32(i) }
            byScript.withUnsafeBufferPointer { e in
                IndexSort.sort(order) { a, b in
                    let x = e[Int(a)].amount.satoshis, y = e[Int(b)].amount.satoshis
                    return x != y ? x > y : a < b
                }
            }
            var used = 0
            var cut = n
            for k in 0..<n {
                let entry = byScript[Int(order[k])]
                let size = outputSize(entry.script)
                if entry.amount < parameters.dustLimit || used + size > limit {
                    cut = k
                    break
                }
                used += size
            }
            var paid: [PayoutEntry] = []
            paid.reserveCapacity(cut)
            for k in 0..<cut { paid.append(byScript[Int(order[k])]) }
            var lottery: [PayoutEntry] = []
            lottery.reserveCapacity(n - cut)
            var pool: Int64 = 0  // a split of one valid amount: no overflow
            for k in cut..<n {
                let entry = byScript[Int(order[k])]
                lottery.append(entry)
                pool += entry.amount.satoshis
            }
            let total = Amount(satoshis: pool)!
            return BudgetedPayout(paid: paid, lotteryEntries: lottery, lotteryPool: total,
                                  lotteryWinner: drawLottery(lottery, pool: total, seed: lotterySeed))
        }
    }

    /// Whether no entry's script sorts before the previous entry's.
    static func isInScriptOrder(_ entries: [PayoutEntry]) -> Bool {
        var i = 1
        while i < entries.count {
            if entries[i].script < entries[i - 1].script { return false }
            i += 1
        }
        return true
    }

    /// Step 6: `r = UInt256(littleEndian: SHA256d(seed)) mod S`; the first entry
    /// whose running sum exceeds `r` wins. Nil when `S` is zero.
    public static func drawLottery(_ entries: [PayoutEntry], pool: Amount, seed: Hash256) -> Script? {
        guard pool.satoshis > 0 else { return nil }
        let r = SHA256d.hash(seed).asUInt256.remainder(dividingBy: UInt64(pool.satoshis))
        var running: UInt64 = 0
        for entry in entries {
            running += UInt64(entry.amount.satoshis)
            if running > r { return entry.script }
        }
        preconditionFailure("lottery pool does not match its entries")
    }
}
