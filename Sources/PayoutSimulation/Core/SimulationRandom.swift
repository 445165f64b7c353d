#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The simulator's only source of randomness: xoshiro256** (Blackman and Vigna,
/// "Scrambled linear pseudorandom number generators", 2018), its 256-bit state
/// filled from a 64-bit seed by SplitMix64 (Steele, Lea, Flood 2014), as the
/// authors recommend. No clock, no system generator: a seed fixes every run.
public struct SimulationRandom: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in (0, 1]: never zero, so `1 / u` and `log(u)` are finite.
    @inline(__always)
    public mutating func positiveUnit() -> Double { Double((next() >> 11) + 1) * 0x1p-53 }

    /// Exponential with mean 1 (inversion).
    @inline(__always)
    public mutating func exponential() -> Double { -log(positiveUnit()) }

    /// Standard normal (Box–Muller, one of the pair).
    public mutating func normal() -> Double {
        sqrt(-2 * log(positiveUnit())) * cos(2 * Double.pi * unit())
    }

    /// Uniform integer in 0..<n (Lemire's multiply-shift; the bias is below 2^-40 for n < 2^24).
    @inline(__always)
    public mutating func below(_ n: Int) -> Int {
        Int((UInt64(n).multipliedFullWidth(by: next())).high)
    }

    /// 32 random bytes (a stand-in for a share hash).
    public mutating func bytes32() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for _ in 0..<4 { withUnsafeBytes(of: next().littleEndian) { out.append(contentsOf: $0) } }
        return out
    }
}
