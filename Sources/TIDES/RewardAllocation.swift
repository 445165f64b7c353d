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
        let v = UInt64(reward.satoshis)
        let w = weights.total
        let n = weights.count
        if n == 0 { return [] }
        return weights.works.withUnsafeBufferPointer { works in
            [Int64](unsafeUninitializedCapacity: n) { result, count in
                withUnsafeTemporaryAllocation(of: UInt256.self, capacity: n) { remainders in
                    var distributed: UInt64 = 0
                    for i in 0..<n {
                        // Exact for every W < 2^256 (Wp ≤ W, so the quotient is at most V).
                        let (q, r) = UInt256.scaledQuotient(works[i], times: v, dividedBy: w)
                        remainders.initializeElement(at: i, to: r)
                        result.initializeElement(at: i, to: Int64(q))
                        distributed += q
                    }
                    count = n
                    let leftover = Int(v - distributed)  // fewer than n
                    guard leftover > 0 else { return }
                    // One each to the largest remainders; entries are in script order, so ties
                    // broken by index are the documented tie-break by script bytes. Only which
                    // entries are the `leftover` first matters, so they are selected, not sorted.
                    withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { order in
                        for i in 0..<n { order[i] = Int32(i) }
                        let r = UnsafeBufferPointer(remainders)
                        IndexSort.selectFirst(leftover, of: order) { a, b in
                            let ra = r[Int(a)], rb = r[Int(b)]
                            return ra != rb ? ra > rb : a < b
                        }
                        for k in 0..<Swift.min(leftover, n) { result[Int(order[k])] += 1 }
                    }
                }
            }
        }
    }
}
