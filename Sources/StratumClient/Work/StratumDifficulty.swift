import BitcoinPrimitives

/// A Stratum share difficulty held exactly as the rational `numerator / denominator`
/// read from the JSON number text of `mining.set_difficulty`.
///
/// Pools on regtest and devnet send difficulties below 1 (e.g. `0.0001`), so the
/// value may be fractional. The share target is
/// `floor(difficultyOneTarget × denominator / numerator)`, computed in 256-bit
/// integers and capped at 2²⁵⁶ − 1; no floating point takes part in it.
public struct StratumDifficulty: Sendable, Hashable, CustomStringConvertible {
    /// The numerator; never zero.
    public let numerator: UInt256
    /// The denominator, a power of ten; never zero.
    public let denominator: UInt256
    /// The number text it was read from (for display).
    public let text: String

    /// Difficulty 1.
    public static let one = StratumDifficulty(numerator: .one, denominator: .one, text: "1")

    private init(numerator: UInt256, denominator: UInt256, text: String) {
        self.numerator = numerator
        self.denominator = denominator
        self.text = text
    }

    /// Reads a JSON number text (`42`, `0.5`, `1e-4`, `2.5E+3`). Nil when it is not a
    /// number, is zero or negative, has more than 77 significant decimal digits, or is
    /// too large for 256 bits.
    public init?(jsonNumber text: String) {
        var digits: [UInt8] = []
        var fractionDigits = 0
        var exponent = 0
        var utf8 = Substring(text).utf8[...]
        guard let first = utf8.first, first != UInt8(ascii: "-") else { return nil }
        var seenPoint = false
        while let c = utf8.first, c != UInt8(ascii: "e"), c != UInt8(ascii: "E") {
            utf8 = utf8.dropFirst()
            if c == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
            } else if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                digits.append(c - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
            } else {
                return nil
            }
        }
        if !utf8.isEmpty {
            guard let e = Int(String(decoding: utf8.dropFirst(), as: UTF8.self)), abs(e) < 1000 else { return nil }
            exponent = e
        }
        while let d = digits.first, d == 0 { digits.removeFirst() }  // leading zeros
        guard !digits.isEmpty, digits.count <= 77 else { return nil }
        // value = digits × 10^(exponent − fractionDigits)
        let scale = exponent - fractionDigits
        guard var numerator = Self.decimal(digits) else { return nil }
        var denominator = UInt256.one
        if scale >= 0 {
            for _ in 0..<scale {
                let (p, overflow) = numerator.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                numerator = p
            }
        } else {
            for _ in 0..<(-scale) {
                let (p, overflow) = denominator.multipliedReportingOverflow(by: 10)
                if overflow {
                    // Beyond 10^77 only the last significant digits are lost (a relative
                    // change below 10^-76); a difficulty that small has the maximum target.
                    numerator = numerator / 10
                    if numerator.isZero { numerator = .one }
                } else {
                    denominator = p
                }
            }
        }
        while denominator != .one, (numerator % 10).isZero {  // lowest terms (denominator is 10^k)
            numerator = numerator / 10
            denominator = denominator / 10
        }
        self.init(numerator: numerator, denominator: denominator, text: text)
    }

    private static func decimal(_ digits: [UInt8]) -> UInt256? {
        var value = UInt256.zero
        for d in digits {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt256(UInt64(d)))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    /// The share target: `floor(difficultyOneTarget × denominator / numerator)`, at
    /// most 2²⁵⁶ − 1.
    public var target: UInt256 {
        Self.multiplyDivide(Work.difficultyOneTarget, denominator, numerator)
    }

    /// `floor(a × b / c)` capped at 2²⁵⁶ − 1, exact without a 512-bit product:
    /// Horner's rule over the bits of `b` keeps `a × prefix(b)` as `q × c + r` with
    /// `r < c`, the carries out of 256 bits accounted for.
    static func multiplyDivide(_ a: UInt256, _ b: UInt256, _ c: UInt256) -> UInt256 {
        precondition(!c.isZero, "division by zero")
        let (qa, ra) = a.quotientAndRemainder(dividingBy: c)
        var q = UInt256.zero
        var r = UInt256.zero
        var bit = b.bitLength - 1
        while bit >= 0 {
            // value ← 2 × value
            let (q2, qOverflow) = q.addingReportingOverflow(q)
            if qOverflow { return .max }
            q = q2
            let (r2, carry) = r.addingReportingOverflow(r)
            if carry || r2 >= c { r = r2 &- c; q = q &+ .one; if q.isZero { return .max } } else { r = r2 }
            // value ← value + a when this bit of b is set
            if !((b >> bit) & .one).isZero {
                let (qs, o) = q.addingReportingOverflow(qa)
                if o { return .max }
                q = qs
                let (rs, c2) = r.addingReportingOverflow(ra)
                if c2 || rs >= c { r = rs &- c; q = q &+ .one; if q.isZero { return .max } } else { r = rs }
            }
            bit -= 1
        }
        return q
    }

    /// An approximation for status lines only.
    public var approximateValue: Double {
        Self.approximate(numerator) / Self.approximate(denominator)  // display only
    }

    private static func approximate(_ v: UInt256) -> Double {  // display only
        var result = 0.0  // display only
        for limb in [v.w3, v.w2, v.w1, v.w0] { result = result * 18446744073709551616.0 + Double(limb) }
        return result
    }

    public var description: String { text }

    public static func == (lhs: StratumDifficulty, rhs: StratumDifficulty) -> Bool {
        lhs.numerator == rhs.numerator && lhs.denominator == rhs.denominator
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(numerator)
        hasher.combine(denominator)
    }
}
