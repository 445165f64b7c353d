#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BitcoinPrimitives

/// Small numeric helpers for the statistics (not consensus: Double is fine here).
public enum SimulationMath {
    /// Expected hashes per difficulty-1 share, `2^256 / (difficultyOneTarget + 1)` ≈ 2^32.
    public static let hashesPerDifficultyOne = 4_295_032_833.0

    /// `UInt256` → `Double` (rounds toward zero past 53 bits).
    public static func double(_ v: UInt256) -> Double {
        var r = 0.0
        for limb in [v.w3, v.w2, v.w1, v.w0] { r = r * 18_446_744_073_709_551_616.0 + Double(limb) }
        return r
    }

    /// A target from an integer difficulty: `floor(difficultyOneTarget / d)`.
    public static func target(difficulty: UInt64) -> UInt256 {
        Work.difficultyOneTarget / UInt256(Swift.max(1, difficulty))
    }

    /// Mean and the half-width of a 95% normal confidence interval of the mean.
    public static func meanAndCI95(_ xs: [Double]) -> (mean: Double, halfWidth: Double) {
        guard !xs.isEmpty else { return (0, 0) }
        let m = xs.reduce(0, +) / Double(xs.count)
        guard xs.count > 1 else { return (m, 0) }
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
        return (m, 1.96 * sqrt(v / Double(xs.count)))
    }

    /// Natural logarithm (libm), re-exported so callers need no platform import.
    public static func ln(_ x: Double) -> Double { log(x) }
    /// `e^x` (libm).
    public static func expo(_ x: Double) -> Double { exp(x) }
}
