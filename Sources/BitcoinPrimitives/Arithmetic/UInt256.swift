/// A 256-bit unsigned integer for consensus arithmetic: targets, chain work,
/// TIDES window sums and payout products.
///
/// Four 64-bit limbs, least significant first. The plain operators (`+`, `-`,
/// `*`, `/`, `%`, `<<`, `>>`) follow Swift's integer conventions: arithmetic
/// overflow and division by zero trap. Use the `…ReportingOverflow` forms where
/// overflow is an expected outcome that must be handled.
public struct UInt256: Sendable, Hashable {
    /// Limbs, least significant first.
    public var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// Creates a value from its limbs, least significant first.
    @inlinable
    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    /// Creates a value from a 64-bit integer.
    @inlinable
    public init(_ value: UInt64) { self.init(w0: value, w1: 0, w2: 0, w3: 0) }

    public static let zero = UInt256(0)
    public static let one = UInt256(1)
    public static let max = UInt256(w0: .max, w1: .max, w2: .max, w3: .max)

    @inlinable public var isZero: Bool { (w0 | w1 | w2 | w3) == 0 }

    /// The value as a 64-bit integer, or nil when it does not fit.
    @inlinable public var uint64Value: UInt64? { (w1 | w2 | w3) == 0 ? w0 : nil }

    @inlinable
    subscript(limb i: Int) -> UInt64 {
        get {
            switch i { case 0: return w0; case 1: return w1; case 2: return w2; default: return w3 }
        }
        set {
            switch i { case 0: w0 = newValue; case 1: w1 = newValue; case 2: w2 = newValue; default: w3 = newValue }
        }
    }

    /// Number of leading zero bits (256 for zero).
    public var leadingZeroBitCount: Int {
        if w3 != 0 { return w3.leadingZeroBitCount }
        if w2 != 0 { return 64 + w2.leadingZeroBitCount }
        if w1 != 0 { return 128 + w1.leadingZeroBitCount }
        return 192 + w0.leadingZeroBitCount
    }

    /// Number of significant bits (0 for zero).
    public var bitLength: Int { 256 - leadingZeroBitCount }
}

// MARK: - Comparison

extension UInt256: Comparable {
    @inlinable
    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        if lhs.w3 != rhs.w3 { return lhs.w3 < rhs.w3 }
        if lhs.w2 != rhs.w2 { return lhs.w2 < rhs.w2 }
        if lhs.w1 != rhs.w1 { return lhs.w1 < rhs.w1 }
        return lhs.w0 < rhs.w0
    }
}

// MARK: - Addition and subtraction

extension UInt256 {
    /// `self + rhs` modulo 2^256 and whether it wrapped.
    @inlinable
    public func addingReportingOverflow(_ rhs: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (a0, c0) = w0.addingReportingOverflow(rhs.w0)
        var (a1, c1) = w1.addingReportingOverflow(rhs.w1)
        if c0 { let (t, c) = a1.addingReportingOverflow(1); a1 = t; c1 = c1 || c }
        var (a2, c2) = w2.addingReportingOverflow(rhs.w2)
        if c1 { let (t, c) = a2.addingReportingOverflow(1); a2 = t; c2 = c2 || c }
        var (a3, c3) = w3.addingReportingOverflow(rhs.w3)
        if c2 { let (t, c) = a3.addingReportingOverflow(1); a3 = t; c3 = c3 || c }
        return (UInt256(w0: a0, w1: a1, w2: a2, w3: a3), c3)
    }

    /// `self - rhs` modulo 2^256 and whether it borrowed (rhs > self).
    @inlinable
    public func subtractingReportingOverflow(_ rhs: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (a0, b0) = w0.subtractingReportingOverflow(rhs.w0)
        var (a1, b1) = w1.subtractingReportingOverflow(rhs.w1)
        if b0 { let (t, b) = a1.subtractingReportingOverflow(1); a1 = t; b1 = b1 || b }
        var (a2, b2) = w2.subtractingReportingOverflow(rhs.w2)
        if b1 { let (t, b) = a2.subtractingReportingOverflow(1); a2 = t; b2 = b2 || b }
        var (a3, b3) = w3.subtractingReportingOverflow(rhs.w3)
        if b2 { let (t, b) = a3.subtractingReportingOverflow(1); a3 = t; b3 = b3 || b }
        return (UInt256(w0: a0, w1: a1, w2: a2, w3: a3), b3)
    }

    @inlinable
    public static func + (lhs: UInt256, rhs: UInt256) -> UInt256 {
        let (r, o) = lhs.addingReportingOverflow(rhs)
        precondition(!o, "UInt256 addition overflow")
        return r
    }

    @inlinable
    public static func - (lhs: UInt256, rhs: UInt256) -> UInt256 {
        let (r, o) = lhs.subtractingReportingOverflow(rhs)
        precondition(!o, "UInt256 subtraction underflow")
        return r
    }

    @inlinable public static func += (lhs: inout UInt256, rhs: UInt256) { lhs = lhs + rhs }
    @inlinable public static func -= (lhs: inout UInt256, rhs: UInt256) { lhs = lhs - rhs }

    /// Wrapping addition.
    @inlinable public static func &+ (lhs: UInt256, rhs: UInt256) -> UInt256 { lhs.addingReportingOverflow(rhs).partialValue }
    /// Wrapping subtraction.
    @inlinable public static func &- (lhs: UInt256, rhs: UInt256) -> UInt256 { lhs.subtractingReportingOverflow(rhs).partialValue }

    /// Bitwise complement.
    @inlinable public static prefix func ~ (x: UInt256) -> UInt256 { UInt256(w0: ~x.w0, w1: ~x.w1, w2: ~x.w2, w3: ~x.w3) }
}

// MARK: - Multiplication

extension UInt256 {
    /// The low 256 bits of `self * rhs` and whether the full product exceeded 256 bits.
    public func multipliedReportingOverflow(by rhs: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        var result: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var overflow = false
        withUnsafeMutableBytes(of: &result) { raw in
            let r = raw.bindMemory(to: UInt64.self)
            for i in 0..<4 {
                let a = self[limb: i]
                if a == 0 { continue }
                var carry: UInt64 = 0
                for j in 0..<4 {
                    let b = rhs[limb: j]
                    if i + j >= 4 {
                        if b != 0 { overflow = true }
                        continue
                    }
                    let (hi, lo) = a.multipliedFullWidth(by: b)
                    let (s1, c1) = lo.addingReportingOverflow(r[i + j])
                    let (s2, c2) = s1.addingReportingOverflow(carry)
                    r[i + j] = s2
                    carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
                }
                if carry != 0 { overflow = true }
            }
        }
        return (UInt256(w0: result.0, w1: result.1, w2: result.2, w3: result.3), overflow)
    }

    /// `self * rhs`, where `rhs` is a single limb; traps on overflow.
    public func multiplied(by rhs: UInt64) -> UInt256 {
        let (r, o) = multipliedReportingOverflow(by: UInt256(rhs))
        precondition(!o, "UInt256 multiplication overflow")
        return r
    }

    @inlinable
    public static func * (lhs: UInt256, rhs: UInt256) -> UInt256 {
        let (r, o) = lhs.multipliedReportingOverflow(by: rhs)
        precondition(!o, "UInt256 multiplication overflow")
        return r
    }

    @inlinable public static func *= (lhs: inout UInt256, rhs: UInt256) { lhs = lhs * rhs }
}

// MARK: - Division

extension UInt256 {
    /// Quotient and remainder of `self / divisor`; traps when the divisor is zero.
    ///
    /// Divisors that fit in 64 bits take a fast limb-by-limb path; others use
    /// shift-and-subtract long division over the significant bits only.
    public func quotientAndRemainder(dividingBy divisor: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        precondition(!divisor.isZero, "UInt256 division by zero")
        if self < divisor { return (.zero, self) }
        if let d = divisor.uint64Value {
            var q = UInt256.zero
            var rem: UInt64 = 0
            for i in stride(from: 3, through: 0, by: -1) {
                let (qi, ri) = d.dividingFullWidth((high: rem, low: self[limb: i]))
                q[limb: i] = qi
                rem = ri
            }
            return (q, UInt256(rem))
        }
        // Long division: the quotient has at most bitLength(self) - bitLength(divisor) + 1 bits.
        let shift = divisor.leadingZeroBitCount - leadingZeroBitCount
        var d = divisor << shift
        var rem = self
        var q = UInt256.zero
        var bit = shift
        while bit >= 0 {
            if rem >= d {
                rem = rem &- d
                q[limb: bit / 64] |= (1 as UInt64) << UInt64(bit % 64)
            }
            d = d >> 1
            bit -= 1
        }
        return (q, rem)
    }

    @inlinable public static func / (lhs: UInt256, rhs: UInt256) -> UInt256 { lhs.quotientAndRemainder(dividingBy: rhs).quotient }
    @inlinable public static func % (lhs: UInt256, rhs: UInt256) -> UInt256 { lhs.quotientAndRemainder(dividingBy: rhs).remainder }
}

// MARK: - Shifts and bitwise operations

extension UInt256 {
    /// Logical left shift; bits shifted past bit 255 are discarded. Shifts ≥ 256 give zero.
    public static func << (lhs: UInt256, rhs: Int) -> UInt256 {
        precondition(rhs >= 0, "negative shift")
        if rhs >= 256 { return .zero }
        if rhs == 0 { return lhs }
        let limbShift = rhs / 64, bitShift = UInt64(rhs % 64)
        var r = UInt256.zero
        for i in stride(from: 3, through: limbShift, by: -1) {
            var v = lhs[limb: i - limbShift] << bitShift
            if bitShift != 0 && i - limbShift - 1 >= 0 {
                v |= lhs[limb: i - limbShift - 1] >> (64 - bitShift)
            }
            r[limb: i] = v
        }
        return r
    }

    /// Logical right shift. Shifts ≥ 256 give zero.
    public static func >> (lhs: UInt256, rhs: Int) -> UInt256 {
        precondition(rhs >= 0, "negative shift")
        if rhs >= 256 { return .zero }
        if rhs == 0 { return lhs }
        let limbShift = rhs / 64, bitShift = UInt64(rhs % 64)
        var r = UInt256.zero
        for i in 0..<(4 - limbShift) {
            var v = lhs[limb: i + limbShift] >> bitShift
            if bitShift != 0 && i + limbShift + 1 <= 3 {
                v |= lhs[limb: i + limbShift + 1] << (64 - bitShift)
            }
            r[limb: i] = v
        }
        return r
    }

    @inlinable public static func & (l: UInt256, r: UInt256) -> UInt256 { UInt256(w0: l.w0 & r.w0, w1: l.w1 & r.w1, w2: l.w2 & r.w2, w3: l.w3 & r.w3) }
    @inlinable public static func | (l: UInt256, r: UInt256) -> UInt256 { UInt256(w0: l.w0 | r.w0, w1: l.w1 | r.w1, w2: l.w2 | r.w2, w3: l.w3 | r.w3) }
}

// MARK: - Byte and text conversions

extension UInt256 {
    /// Interprets 32 bytes as a little-endian number (Bitcoin's `uint256` for hashes).
    public init(littleEndianBytes bytes: some Collection<UInt8>) {
        precondition(bytes.count == 32, "UInt256 needs exactly 32 bytes")
        var limbs: [UInt64] = [0, 0, 0, 0]
        for (i, b) in bytes.enumerated() {
            limbs[i / 8] |= UInt64(b) << UInt64((i % 8) * 8)
        }
        self.init(w0: limbs[0], w1: limbs[1], w2: limbs[2], w3: limbs[3])
    }

    /// The 32 little-endian bytes of the value.
    public var littleEndianBytes: [UInt8] {
        var words = (w0.littleEndian, w1.littleEndian, w2.littleEndian, w3.littleEndian)
        return withUnsafeBytes(of: &words) { [UInt8]($0) }
    }

    /// `self mod d` for a one-limb divisor, limb by limb (no 256-bit division).
    public func remainder(dividingBy d: UInt64) -> UInt64 {
        precondition(d != 0, "division by zero")
        // Each step keeps r < d, so the 128-by-64-bit division cannot overflow.
        var r = d.dividingFullWidth((high: 0, low: w3)).remainder
        r = d.dividingFullWidth((high: r, low: w2)).remainder
        r = d.dividingFullWidth((high: r, low: w1)).remainder
        return d.dividingFullWidth((high: r, low: w0)).remainder
    }

    /// Parses up to 64 hex digits, most significant first (optional `0x`).
    public init?(hex: String) {
        var s = Substring(hex)
        if s.hasPrefix("0x") || s.hasPrefix("0X") { s = s.dropFirst(2) }
        guard !s.isEmpty, s.count <= 64 else { return nil }
        var v = UInt256.zero
        for ch in s {
            guard let d = ch.hexDigitValue else { return nil }
            v = (v << 4) | UInt256(UInt64(d))
        }
        self = v
    }

    /// 64 lowercase hex digits, most significant first.
    public var hexString: String { Hex.encode(littleEndianBytes.reversed()) }

    /// Parses a non-negative decimal number that fits in 256 bits.
    public init?(decimal: String) {
        guard !decimal.isEmpty, decimal.utf8.count <= 78 else { return nil }
        var v = UInt256.zero
        for ch in decimal.utf8 {
            guard ch >= 48 && ch <= 57 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: UInt256(10))
            let (a, o2) = m.addingReportingOverflow(UInt256(UInt64(ch - 48)))
            if o1 || o2 { return nil }
            v = a
        }
        self = v
    }
}

extension UInt256: CustomStringConvertible {
    /// Decimal representation.
    public var description: String {
        if isZero { return "0" }
        var digits: [UInt8] = []
        var v = self
        let chunk: UInt64 = 10_000_000_000_000_000_000  // 10^19
        while !v.isZero {
            let (q, r) = v.quotientAndRemainder(dividingBy: UInt256(chunk))
            var part = r.w0
            for _ in 0..<19 {
                digits.append(UInt8(48 + part % 10))
                part /= 10
                if q.isZero && part == 0 { break }
            }
            v = q
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}

extension UInt256: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: UInt64) { self.init(value) }
}

// MARK: - Exact scaled division

extension UInt256 {
    /// `floor(a × b / d)` and `(a × b) mod d` without overflow, for `a ≤ d`.
    ///
    /// The product may need 320 bits: it is formed in five limbs and divided with
    /// one step of Knuth's algorithm D (a ≤ d guarantees a single-limb quotient,
    /// at most `b`). TIDES uses this for `V × Wp / W`.
    public static func scaledQuotient(_ a: UInt256, times b: UInt64, dividedBy d: UInt256)
        -> (quotient: UInt64, remainder: UInt256)
    {
        precondition(!d.isZero, "division by zero")
        precondition(a <= d, "scaledQuotient requires a ≤ d")
        if d.w1 | d.w2 | d.w3 == 0 {
            // d < 2^64, so a ≤ d fits one limb and a × b < d · 2^64: one 128-by-64-bit division.
            let (q, r) = d.w0.dividingFullWidth(a.w0.multipliedFullWidth(by: b))
            return (q, UInt256(r))
        }
        // The 320-bit product P = a × b, least significant limb first.
        var p: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        var carry: UInt64 = 0
        for i in 0..<4 {
            let (hi, lo) = a[limb: i].multipliedFullWidth(by: b)
            let (sum, c) = lo.addingReportingOverflow(carry)
            carry = hi &+ (c ? 1 : 0)
            switch i { case 0: p.0 = sum; case 1: p.1 = sum; case 2: p.2 = sum; default: p.3 = sum }
        }
        p.4 = carry
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 10) { buffer in
            let n = buffer.baseAddress!            // dividend limbs n[0...4]
            let dv = buffer.baseAddress! + 5       // divisor limbs dv[0...3]
            n[0] = p.0; n[1] = p.1; n[2] = p.2; n[3] = p.3; n[4] = p.4
            for i in 0..<4 { dv[i] = d[limb: i] }
            let m = 4 - (d.leadingZeroBitCount / 64)  // significant divisor limbs, 1...4
            if m == 1 {
                // P < d · 2^64 and d < 2^64, so P fits in two limbs and n[1] < d.
                let (q, r) = dv[0].dividingFullWidth((high: n[1], low: n[0]))
                return (q, UInt256(r))
            }
            // Knuth, TAOCP vol. 2, 4.3.1, algorithm D, for a single quotient limb:
            // P < d · 2^64, so the quotient is n[m] n[m-1] … / dv[m-1] … < 2^64.
            let shift = UInt64(dv[m - 1].leadingZeroBitCount)
            if shift > 0 {
                for i in stride(from: m - 1, to: 0, by: -1) { dv[i] = dv[i] << shift | dv[i - 1] >> (64 - shift) }
                dv[0] <<= shift
                n[m] = n[m] << shift | n[m - 1] >> (64 - shift)
                for i in stride(from: m - 1, to: 0, by: -1) { n[i] = n[i] << shift | n[i - 1] >> (64 - shift) }
                n[0] <<= shift
            }
            let top = dv[m - 1], next = dv[m - 2]
            var qhat: UInt64
            var rhat: UInt64
            var rhatOverflow = false
            if n[m] >= top {
                qhat = .max
                let (r, o) = n[m - 1].addingReportingOverflow(top)  // (n[m]·2^64 + n[m-1]) − (2^64 − 1)·top
                rhat = r
                rhatOverflow = o || n[m] > top
            } else {
                (qhat, rhat) = top.dividingFullWidth((high: n[m], low: n[m - 1]))
            }
            while !rhatOverflow {
                let (ph, pl) = qhat.multipliedFullWidth(by: next)
                if ph > rhat || (ph == rhat && pl > n[m - 2]) {
                    qhat -= 1
                    let (r, o) = rhat.addingReportingOverflow(top)
                    rhat = r
                    rhatOverflow = o
                } else {
                    break
                }
            }
            // n ← n − qhat · dv over m + 1 limbs; add back once if it went negative.
            var borrow: UInt64 = 0
            var mulCarry: UInt64 = 0
            for i in 0..<m {
                let (ph, pl) = qhat.multipliedFullWidth(by: dv[i])
                let (prod, c1) = pl.addingReportingOverflow(mulCarry)
                mulCarry = ph &+ (c1 ? 1 : 0)
                let (diff, b1) = n[i].subtractingReportingOverflow(prod)
                let (diff2, b2) = diff.subtractingReportingOverflow(borrow)
                n[i] = diff2
                borrow = (b1 ? 1 : 0) + (b2 ? 1 : 0)
            }
            let (lastDiff, b1) = n[m].subtractingReportingOverflow(mulCarry)
            let (lastDiff2, b2) = lastDiff.subtractingReportingOverflow(borrow)
            n[m] = lastDiff2
            if b1 || b2 {
                qhat -= 1
                var c: UInt64 = 0
                for i in 0..<m {
                    let (s1, o1) = n[i].addingReportingOverflow(dv[i])
                    let (s2, o2) = s1.addingReportingOverflow(c)
                    n[i] = s2
                    c = (o1 ? 1 : 0) + (o2 ? 1 : 0)
                }
                n[m] = n[m] &+ c
            }
            // Remainder: n[0..<m] shifted back.
            var r = UInt256.zero
            for i in 0..<m {
                var limb = n[i] >> shift
                if shift > 0 { limb |= (i + 1 <= m ? n[i + 1] : 0) << (64 - shift) }
                r[limb: i] = limb
            }
            return (qhat, r)
        }
    }
}
