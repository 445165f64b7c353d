extension Tides {
    /// Bits of the bucket a remainder falls in when the leftover is awarded (64 buckets).
    static let leftoverBucketBits = 6

    /// Step 4's leftover: adds one satoshi to each of the `leftover` entries that come first
    /// by `before` (remainder descending, then index ascending: a strict total order).
    ///
    /// `bucket(i)` must be a non-decreasing function of entry `i`'s remainder into
    /// `0..<64` (its top bits below `W`). Entries in buckets above the one where the count
    /// from the top reaches `leftover` all win; only that bucket's entries are compared,
    /// with `before`. The winners are exactly those of a full selection by `before`, in
    /// two linear passes when remainders spread (any input: the threshold bucket is then
    /// selected in O(its size) on average).
    @inline(__always)
    static func awardLeftover(_ leftover: Int, count n: Int, to amounts: UnsafeMutableBufferPointer<Int64>,
                              bucket: (Int) -> Int, before: (Int32, Int32) -> Bool) {
        guard leftover > 0 else { return }
        let buckets = 1 << leftoverBucketBits
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: buckets) { counts in
            counts.initialize(repeating: 0)
            for i in 0..<n { counts[bucket(i)] += 1 }
            // The threshold bucket: above it fewer than `leftover` entries, with it enough.
            var threshold = buckets - 1, above = 0
            while above + Int(counts[threshold]) < leftover {
                above += Int(counts[threshold])
                threshold -= 1
            }
            let inThreshold = Int(counts[threshold]), need = leftover - above
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: inThreshold) { candidates in
                var c = 0
                for i in 0..<n {
                    let b = bucket(i)
                    if b > threshold {
                        amounts[i] += 1
                    } else if b == threshold {
                        candidates[c] = Int32(truncatingIfNeeded: i)
                        c += 1
                    }
                }
                IndexSort.selectFirst(need, of: candidates, by: before)
                for k in 0..<need { amounts[Int(candidates[k])] += 1 }
            }
        }
    }

    /// How far to shift a remainder below `w` (bit length `bits`) for its 6-bit bucket.
    @inline(__always)
    static func leftoverBucketShift(divisorBitLength bits: Int) -> Int {
        Swift.max(0, bits - leftoverBucketBits)
    }
}
