import BitcoinPrimitives

/// A complete TIDES split: the answer to "who is paid what in this coinbase".
///
/// Stored compactly — the weights, one amount per payee and the output order as indices —
/// so computing a split (every share validation does) copies no payout script beyond the
/// weights; `allocation`, `budgeted` and `outputs` are built from it when read.
public struct TidesSplit: Sendable, Equatable {
    /// Credited work per payee (steps 1–3).
    public let weights: WindowWeights
    /// Step 4: the exact proportional amount of `weights.entries[i]`, in satoshis.
    let amounts: [Int64]
    /// Step 5: indices into `weights.entries` in output order (amount descending, then
    /// script ascending); the first `paidCount` are paid directly, the rest enter the lottery.
    let order: [Int32]
    let paidCount: Int
    /// Step 6: the pooled lottery amount `S` and the winner (an index into the weights).
    public let lotteryPool: Amount
    let lotteryWinner: Int32?

    /// Exact proportional amounts per payee, script order (step 4).
    public var allocation: [PayoutEntry] {
        (0..<weights.count).map { PayoutEntry(script: weights.script(at: $0), amount: amount(at: $0)) }
    }

    /// Budget and lottery outcome (steps 5–6).
    public var budgeted: BudgetedPayout {
        BudgetedPayout(paid: order[..<paidCount].map(entry), lotteryEntries: order[paidCount...].map(entry),
                       lotteryPool: lotteryPool, lotteryWinner: lotteryWinner.map { weights.script(at: Int($0)) })
    }

    /// Payout outputs in coinbase order (step 7, before the share commitment and
    /// the witness commitment): the paid entries, then the lottery winner with `S`.
    public var outputs: [PayoutEntry] {
        var all: [PayoutEntry] = []
        all.reserveCapacity(paidCount + 1)
        for k in 0..<paidCount { all.append(entry(order[k])) }
        if let w = lotteryWinner { all.append(PayoutEntry(script: weights.script(at: Int(w)), amount: lotteryPool)) }
        return all
    }

    /// Number of payout outputs (`outputs.count`).
    public var outputCount: Int { paidCount + (lotteryWinner == nil ? 0 : 1) }

    /// Calls `body` with each payout output in coinbase order, as `outputs` lists them,
    /// without building the array (share validation serializes them straight away).
    public func forEachOutput(_ body: (Script, Amount) -> Void) {
        for k in 0..<paidCount {
            let i = Int(order[k])
            body(weights.script(at: i), amount(at: i))
        }
        if let w = lotteryWinner { body(weights.script(at: Int(w)), lotteryPool) }
    }

    /// `W`, the credited work of the window.
    public var windowWork: UInt256 { weights.total }

    private func amount(at i: Int) -> Amount { Amount(satoshis: amounts[i])! }
    private func entry(_ i: Int32) -> PayoutEntry {
        PayoutEntry(script: weights.script(at: Int(i)), amount: amount(at: Int(i)))
    }
}

extension Tides {
    /// Index bits of the step-5 sort keys: windows of up to 8,192 payees sort packed keys.
    static let packedIndexBits = 13

    /// The packed step-5 key of payee `i`: `(MAX_MONEY − amount) · 2^13 + i`.
    @inline(__always)
    static func orderKey(_ amounts: UnsafeBufferPointer<Int64>, _ i: Int) -> UInt64 {
        UInt64(maxMoney - amounts[i]) << UInt64(packedIndexBits) | UInt64(i)
    }

    /// `Amount.maxMoney` in satoshis, as a literal (read on every key).
    static let maxMoney: Int64 = 21_000_000 * 100_000_000

    /// Steps 4–7 for weights already computed (by a walk or by `TidesWindow`). Gives
    /// exactly `allocate` then `applyBudget` (tests check both against the reference).
    public static func split(
        reward: Amount, weights: WindowWeights, parameters: TidesParameters, lotterySeed: Hash256
    ) -> TidesSplit {
        var memo: AllocationMemo? = nil
        return split(reward: reward, weights: weights, parameters: parameters, lotterySeed: lotterySeed, memo: &memo)
    }

    /// The same split, reusing step-4 divisions a previous split left in `memo` (the chain
    /// keeps one: consecutive shares mostly repeat them; nil: none). The result does not
    /// depend on what the memo holds.
    public static func split(
        reward: Amount, weights: WindowWeights, parameters: TidesParameters, lotterySeed: Hash256,
        memo: inout AllocationMemo?
    ) -> TidesSplit {
        let amounts = allocatedAmounts(reward: reward, weights: weights, memo: &memo)
        let n = amounts.count
        // Step 5 order: amount descending; entries are in script order, so ties go by index.
        let order = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            if n <= 1 << packedIndexBits {
                // Packed keys (MAX_MONEY − amount) · 2^13 + index sort ascending in exactly this
                // order, compared as plain integers (amounts ≤ MAX_MONEY < 2^51).
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { keys in
                    amounts.withUnsafeBufferPointer { a in
                        for i in 0..<n { keys.initializeElement(at: i, to: Self.orderKey(a, i)) }
                    }
                    IndexSort.sort(keys) { $0 < $1 }
                    for k in 0..<n { buffer[k] = Int32(truncatingIfNeeded: keys[k] & (1 << UInt64(packedIndexBits) - 1)) }
                }
            } else {
                for i in 0..<n { buffer[i] = Int32(i) }
                amounts.withUnsafeBufferPointer { a in
                    IndexSort.sort(buffer) { x, y in
                        let ax = a[Int(x)], ay = a[Int(y)]
                        return ax != ay ? ax > ay : x < y
                    }
                }
            }
            count = n
        }
        let limit = parameters.payoutBudgetBytes - TidesParameters.lotteryReserveBytes
        var used = 0
        var cut = n
        for k in 0..<n {
            let i = Int(order[k])
            let size = outputSize(scriptLength: weights.scriptSize(at: i))
            if amounts[i] < parameters.dustLimit.satoshis || used + size > limit {
                cut = k
                break
            }
            used += size
        }
        var pool: Int64 = 0  // a split of one valid amount: no overflow
        for k in cut..<n { pool += amounts[Int(order[k])] }
        var winner: Int32?
        if pool > 0 {
            // Step 6: r = UInt256(littleEndian: SHA256d(seed)) mod S; the first lottery
            // entry (output order) whose running sum exceeds r wins (`drawLottery`).
            let r = SHA256d.hash(lotterySeed).asUInt256.remainder(dividingBy: UInt64(pool))
            var running: UInt64 = 0
            for k in cut..<n {
                running += UInt64(amounts[Int(order[k])])
                if running > r { winner = order[k]; break }
            }
        }
        return TidesSplit(weights: weights, amounts: amounts, order: order, paidCount: cut,
                          lotteryPool: Amount(satoshis: pool)!, lotteryWinner: winner)
    }

    /// The whole rule from a list of shares, newest first (the share being mined
    /// first). `lotterySeed` is the previous share's hash in internal byte order
    /// (32 zero bytes for a chain's first share).
    public static func split(
        reward: Amount, networkTarget: UInt256, sharesNewestFirst shares: some Sequence<TidesShare>,
        parameters: TidesParameters, lotterySeed: Hash256
    ) throws(TidesError) -> TidesSplit {
        let capacity = try windowCapacity(networkTarget: networkTarget, multiplier: parameters.windowMultiplier)
        let weights = try windowWeights(capacity: capacity, sharesNewestFirst: shares)
        return split(reward: reward, weights: weights, parameters: parameters, lotterySeed: lotterySeed)
    }
}
