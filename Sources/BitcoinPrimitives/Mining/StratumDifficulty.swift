import JSON


/// A Stratum difficulty as exact binary fixed point: `raw / 2^32`.
///
/// Everything that judges shares uses the integer `target`
/// (`difficultyOneTarget × 2^32 / raw`, rounded down); the decimal text sent in
/// `mining.set_difficulty` is the exact value (a multiple of 2^-32 always has a
/// finite decimal expansion). The smallest difficulty is 2^-32 and the largest
/// about 7.9 × 10^28, far beyond any miner.
public struct StratumDifficulty: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Bits after the binary point.
    public static let fractionBits = 32
    private static let unit: UInt128 = 1 << 32

    /// The difficulty times 2^32; at least 1.
    public let raw: UInt128

    /// A difficulty from its fixed-point representation (0 reads as the smallest value).
    public init(raw: UInt128) { self.raw = Swift.max(raw, 1) }

    /// A whole-number difficulty (0 reads as 2^-32).
    public init(_ whole: UInt64) { self.init(raw: UInt128(whole) << 32) }

    /// `numerator / denominator`, rounded down to a multiple of 2^-32 (nil when dividing by zero).
    public init?(numerator: UInt64, denominator: UInt64) {
        guard denominator > 0 else { return nil }
        self.init(raw: (UInt128(numerator) << 32) / UInt128(denominator))
    }

    /// Difficulty 1 (target `0x00000000ffff0000…`).
    public static let one = StratumDifficulty(1)

    /// Whether the value is a whole number.
    public var isWhole: Bool { raw & (Self.unit - 1) == 0 }

    /// The value rounded down to a whole number, at least 1 (for ASIC firmware).
    public var wholeRoundedDown: StratumDifficulty {
        StratumDifficulty(raw: Swift.max(raw >> 32, 1) << 32)
    }

    /// The share target for this difficulty: `difficultyOneTarget × 2^32 / raw`.
    public var target: UInt256 {
        (Work.difficultyOneTarget << 32) / UInt256(raw)
    }

    /// The largest difficulty whose target is at least `target` (rounded down to 2^-32).
    public init(target: UInt256) {
        guard !target.isZero else { self.init(raw: .max); return }
        let q = (Work.difficultyOneTarget << 32) / target
        if q.w2 != 0 || q.w3 != 0 { self.init(raw: .max); return }
        self.init(raw: UInt128(q.w1) << 64 | UInt128(q.w0))
    }

    public static func < (lhs: StratumDifficulty, rhs: StratumDifficulty) -> Bool { lhs.raw < rhs.raw }

    /// The exact decimal text, e.g. `"1024"` or `"0.0000152587890625"`.
    public var description: String {
        let whole = raw >> 32
        var fraction = raw & (Self.unit - 1)
        guard fraction != 0 else { return String(whole) }
        var digits = ""
        while fraction != 0 {
            fraction *= 10
            digits.append(Character(Unicode.Scalar(UInt8(48 + (fraction >> 32)))))
            fraction &= Self.unit - 1
        }
        return "\(whole).\(digits)"
    }

    /// The value as a `Double`, for display and hashrate estimates only.
    public var approximateValue: Double {  // display only
        Double(raw) / 4294967296.0  // display only
    }

    /// Which way `init?(decimal:rounding:)` goes to a multiple of 2^-32.
    public enum Rounding: Sendable, Hashable {
        /// Towards zero (an easier target): how the node reads a miner's `d=N` or
        /// `mining.suggest_difficulty`. A value below 2^-32 is refused.
        case down
        /// Away from zero (a harder target): how a miner reads `mining.set_difficulty`, so
        /// that every share it submits meets the pool's exact target. A positive value
        /// below 2^-32 reads as 2^-32.
        case up
    }

    /// Parses a non-negative JSON number's text (`"16"`, `"0.001"`, `"1e-3"`) exactly,
    /// rounded to a multiple of 2^-32 (down unless told); nil for anything else, for zero,
    /// for values too large to matter and, rounding down, for values below 2^-32.
    public init?(decimal text: String, rounding: Rounding = .down) {
        var mantissa = UInt256.zero
        var exponent = 0
        var sawDigit = false
        var sawDot = false
        var significant = 0
        var inexact = false
        var utf8 = Substring(text).utf8[...]
        while let c = utf8.first, c != UInt8(ascii: "e"), c != UInt8(ascii: "E") {
            utf8 = utf8.dropFirst()
            if c == UInt8(ascii: ".") {
                guard !sawDot else { return nil }
                sawDot = true
                continue
            }
            guard c >= 48, c <= 57 else { return nil }
            sawDigit = true
            if mantissa.isZero && c == 48 {
                if sawDot { exponent -= 1 }
                continue
            }
            significant += 1
            if significant > 40 {  // further digits cannot change the result at 2^-32 resolution
                if !sawDot { exponent += 1 }
                if c != 48 { inexact = true }
                continue
            }
            mantissa = mantissa.multiplied(by: 10) + UInt256(UInt64(c - 48))
            if sawDot { exponent -= 1 }
        }
        guard sawDigit else { return nil }
        if let e = utf8.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            guard let value = Int(String(Substring(utf8.dropFirst()))), (-400...400).contains(value) else { return nil }
            exponent += value
        }
        guard !mantissa.isZero else { return nil }
        var scaled = mantissa << 32
        if exponent >= 0 {
            for _ in 0..<exponent {
                let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
                guard !overflow, product.w2 == 0, product.w3 == 0 else { return nil }
                scaled = product
            }
        } else {
            for _ in 0..<(-exponent) {
                let (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: UInt256(UInt64(10)))
                if !remainder.isZero { inexact = true }
                scaled = quotient
                if scaled.isZero { break }
            }
        }
        if rounding == .up && inexact { scaled = scaled + .one }
        guard scaled.w2 == 0, scaled.w3 == 0, !scaled.isZero else { return nil }
        self.init(raw: UInt128(scaled.w1) << 64 | UInt128(scaled.w0))
    }
}

extension UInt256 {
    init(_ value: UInt128) {
        self.init(w0: UInt64(truncatingIfNeeded: value), w1: UInt64(truncatingIfNeeded: value >> 64), w2: 0, w3: 0)
    }
}
