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
        let v = UInt64(reward.satoshis)
        let w = weights.total
        if weights.entries.isEmpty { return [] }
        var amounts = [UInt64](repeating: 0, count: weights.entries.count)
        var remainders = [UInt256](repeating: .zero, count: weights.entries.count)
        var distributed: UInt64 = 0
        for (i, entry) in weights.entries.enumerated() {
            // Exact for every W < 2^256 (Wp ≤ W, so the quotient is at most V).
            let (q, r) = UInt256.scaledQuotient(entry.work, times: v, dividedBy: w)
            amounts[i] = q
            remainders[i] = r
            distributed += q
        }
        var leftover = v - distributed
        if leftover > 0 {
            // Entries are already in script order, so a stable sort by remainder
            // descending yields the documented tie-break.
            let order = remainders.indices.sorted { a, b in
                remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b
            }
            for i in order where leftover > 0 {
                amounts[i] += 1
                leftover -= 1
            }
        }
        return weights.entries.indices.map { i in
            PayoutEntry(script: weights.entries[i].script, amount: Amount(satoshis: amounts[i])!)
        }
    }
}
