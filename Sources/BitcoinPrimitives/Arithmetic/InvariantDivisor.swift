/// Divides many 128-bit numbers by one 64-bit divisor with multiplications instead of a
/// divide instruction (Möller and Granlund, "Improved division by invariant integers",
/// IEEE Transactions on Computers 60(2), 2011, algorithm 4, with the reciprocal of
/// section 3). TIDES step 4 divides every payee's `V × Wp` by the same `W`; exact, like
/// `dividingFullWidth` (tests compare the two).
public struct InvariantDivisor: Sendable, Equatable {
    /// The divisor shifted left until its top bit is set.
    @usableFromInline let normalized: UInt64
    /// How far it was shifted.
    @usableFromInline let shift: Int
    /// `floor((2^128 − 1) / normalized) − 2^64`.
    @usableFromInline let reciprocal: UInt64

    /// The divisor itself.
    public var divisor: UInt64 { normalized >> UInt64(shift) }

    /// Prepares division by `divisor` (not zero): one divide instruction, once.
    public init(_ divisor: UInt64) {
        precondition(divisor != 0, "division by zero")
        shift = divisor.leadingZeroBitCount
        normalized = divisor << UInt64(shift)
        // (2^128 − 1) − 2^64·d = (~d)·2^64 + (2^64 − 1); ~d < d because d's top bit is set.
        reciprocal = normalized.dividingFullWidth((high: ~normalized, low: .max)).quotient
    }

    /// `(high · 2^64 + low) / divisor` and the remainder; requires `high < divisor` (the
    /// quotient fits 64 bits), as `dividingFullWidth` does.
    @inlinable
    public func divide(high: UInt64, low: UInt64) -> (quotient: UInt64, remainder: UInt64) {
        precondition(high < divisor, "quotient overflows 64 bits")
        let s = UInt64(shift)
        let u1 = shift == 0 ? high : high << s | low >> (64 - s)
        let u0 = low << s
        // Candidate quotient from the reciprocal: (q1, q0) = reciprocal · u1 + (u1 + 1, u0).
        let (productHigh, productLow) = reciprocal.multipliedFullWidth(by: u1)
        let (q0, carry) = productLow.addingReportingOverflow(u0)
        var q1 = productHigh &+ u1 &+ 1 &+ (carry ? 1 : 0)
        var r = u0 &- q1 &* normalized
        // At most two corrections (the paper's lemma): the first is taken when r wrapped.
        if r > q0 {
            q1 &-= 1
            r &+= normalized
        }
        if r >= normalized {
            q1 &+= 1
            r &-= normalized
        }
        return (q1, r >> s)
    }
}
