import BitcoinPrimitives

/// Step-4 remainders as the leftover award reads them.
protocol LeftoverRemainders {
    /// Entry `i`'s bucket in `0..<64`: a non-decreasing function of its remainder.
    func bucket(_ i: Int) -> Int
    /// Whether entry `a` comes before entry `b`: remainder descending, then index ascending.
    func precedes(_ a: Int32, _ b: Int32) -> Bool
}

/// One-limb remainders (below a `W` < 2^64).
struct NarrowRemainders: LeftoverRemainders {
    let values: UnsafeBufferPointer<UInt64>
    let shift: UInt64

    init(_ values: UnsafeBufferPointer<UInt64>, below w: UInt64) {
        self.values = values
        shift = UInt64(Tides.leftoverBucketShift(divisorBitLength: 64 - w.leadingZeroBitCount))
    }

    @inline(__always) func bucket(_ i: Int) -> Int { Int(truncatingIfNeeded: values[i] >> shift) }

    @inline(__always) func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let ra = values[Int(a)], rb = values[Int(b)]
        return ra != rb ? ra > rb : a < b
    }
}

/// Remainders below any `W` < 2^256.
struct WideRemainders: LeftoverRemainders {
    let values: UnsafeBufferPointer<UInt256>
    let shift: Int

    init(_ values: UnsafeBufferPointer<UInt256>, below w: UInt256) {
        self.values = values
        shift = Tides.leftoverBucketShift(divisorBitLength: w.bitLength)
    }

    @inline(__always) func bucket(_ i: Int) -> Int { Int(truncatingIfNeeded: (values[i] >> shift).w0) }

    @inline(__always) func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let ra = values[Int(a)], rb = values[Int(b)]
        return ra != rb ? ra > rb : a < b
    }
}

extension Tides {
    /// Bits of the bucket a remainder falls in when the leftover is awarded (64 buckets).
    static let leftoverBucketBits = 6

    /// How far to shift a remainder below a `W` of `bits` bits for its 6-bit bucket.
    @inline(__always)
    static func leftoverBucketShift(divisorBitLength bits: Int) -> Int {
        Swift.max(0, bits - leftoverBucketBits)
    }

    /// Step 4's leftover: adds one satoshi to each of the `leftover` entries that come first
    /// by `precedes` (remainder descending, then index ascending: a strict total order).
    ///
    /// Entries in buckets above the one where the count from the top reaches `leftover` all
    /// win; only that bucket's entries are compared. The winners are exactly those of a full
    /// selection, in two linear passes when remainders spread (on any input the threshold
    /// bucket is selected in O(its size) on average).
    static func awardLeftover<R: LeftoverRemainders>(_ leftover: Int, count n: Int,
                                                     to amounts: UnsafeMutableBufferPointer<Int64>, remainders r: R) {
        guard leftover > 0 else { return }
        let buckets = 1 << leftoverBucketBits
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: buckets) { counts in
            counts.initialize(repeating: 0)
            for i in 0..<n { counts[r.bucket(i)] += 1 }
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
                    let b = r.bucket(i)
                    if b > threshold {
                        amounts[i] += 1
                    } else if b == threshold {
                        candidates[c] = Int32(truncatingIfNeeded: i)
                        c += 1
                    }
                }
                IndexSort.selectFirst(need, of: candidates) { r.precedes($0, $1) }
                for k in 0..<need { amounts[Int(candidates[k])] += 1 }
            }
        }
    }
}
