import BitcoinPrimitives

/// One payee's share of a reward, before the coinbase budget is applied.
public struct PayoutEntry: Sendable, Hashable {
    public var script: Script
    public var amount: Amount
    public init(script: Script, amount: Amount) { self.script = script; self.amount = amount }
}

extension Tides {
    /// Step 4: splits `reward` in proportion to the weights, exactly.
    ///
    /// Each payee gets `floor(V × Wp / W)`. The `V − Σ` leftover satoshis (fewer
    /// than the number of payees) go one each to the payees with the largest
    /// remainders `V × Wp mod W`; equal remainders are ordered by script bytes
    /// ascending. The amounts always sum to `reward`. Result: script order.
    public static func allocate(reward: Amount, weights: WindowWeights) -> [PayoutEntry] {
        let amounts = allocatedAmounts(reward: reward, weights: weights)
        return (0..<weights.count).map {
            PayoutEntry(script: weights.script(at: $0), amount: Amount(satoshis: amounts[$0])!)
        }
    }

    /// Step 4 as satoshis per entry of `weights` (script order), the form `split` keeps.
    static func allocatedAmounts(reward: Amount, weights: WindowWeights) -> [Int64] {
        var memo: AllocationMemo? = nil
        return allocatedAmounts(reward: reward, weights: weights, memo: &memo)
    }

    /// Step 4 with the divisions taken from `memo` where it holds them (`AllocationMemo`).
    static func allocatedAmounts(reward: Amount, weights: WindowWeights, memo: inout AllocationMemo?) -> [Int64] {
        let v = UInt64(reward.satoshis)
        let w = weights.total
        let n = weights.count
        if n == 0 { return [] }
        // A one-limb W (devnet, regtest, testnet windows) divides with a precomputed
        // reciprocal, faster than a memo lookup; wider ones use the memo when given.
        let oneLimb: InvariantDivisor? = (w.w1 | w.w2 | w.w3) == 0 ? InvariantDivisor(w.w0) : nil
        let remember = memo != nil && oneLimb == nil
        if let oneLimb {
            return weights.works.withUnsafeBufferPointer { works in
                allocatedAmounts(reward: v, works: works, dividedBy: oneLimb)
            }
        }
        return weights.works.withUnsafeBufferPointer { works in
            [Int64](unsafeUninitializedCapacity: n) { result, count in
                withUnsafeTemporaryAllocation(of: UInt256.self, capacity: n) { remainders in
                    var distributed: UInt64 = 0
                    for i in 0..<n {
                        // Exact for every W < 2^256 (Wp ≤ W, so the quotient is at most V).
                        let q: UInt64, r: UInt256
                        if remember {
                            (q, r) = memo!.quotient(slot: Int(weights.ids[i]), work: works[i], reward: v, total: w)
                        } else {
                            (q, r) = UInt256.scaledQuotient(works[i], times: v, dividedBy: w)
                        }
                        remainders.initializeElement(at: i, to: r)
                        result.initializeElement(at: i, to: Int64(q))
                        distributed += q
                    }
                    count = n
                    let leftover = Int(v - distributed)  // fewer than n
                    // One each to the largest remainders; entries are in script order, so ties
                    // broken by index are the documented tie-break by script bytes.
                    awardLeftover(leftover, count: n, to: result,
                                  remainders: WideRemainders(UnsafeBufferPointer(remainders), below: w))
                }
            }
        }
    }

    /// Step 4 for a one-limb `W`: `Wp ≤ W < 2^64`, so `V × Wp < W · 2^64` and each payee is
    /// one 128-by-64-bit division by the precomputed reciprocal; the leftover goes to the
    /// largest remainders, ties by index (`awardLeftover`).
    static func allocatedAmounts(reward v: UInt64, works: UnsafeBufferPointer<UInt256>,
                                 dividedBy divisor: InvariantDivisor) -> [Int64] {
        let n = works.count
        return [Int64](unsafeUninitializedCapacity: n) { result, count in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { remainders in
                var distributed: UInt64 = 0
                for i in 0..<n {
                    let product = works[i].w0.multipliedFullWidth(by: v)
                    let (q, r) = divisor.divide(high: product.high, low: product.low)
                    result.initializeElement(at: i, to: Int64(q))
                    remainders.initializeElement(at: i, to: r)
                    distributed += q
                }
                count = n
                let leftover = Int(v - distributed)  // fewer than n
                awardLeftover(leftover, count: n, to: result,
                              remainders: NarrowRemainders(UnsafeBufferPointer(remainders), below: divisor.divisor))
            }
        }
    }
}
