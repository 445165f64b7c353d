import BitcoinPrimitives

/// The share-target schedule: integer ASERT (aserti3-2d style, as specified for
/// Bitcoin Cash's 2020 DAA) anchored at the chain's first share.
///
/// For a share whose parent is at height `h` with timestamp `t`, and the first
/// share's timestamp `t0` and target `T0`:
///
///     exponent = floor((t − t0 − interval × h) × 2^16 / halfLife)
///     target   = T0 × 2^(exponent / 2^16)
///
/// where `2^(frac/2^16)` is the cubic approximation of aserti3-2d
/// (`65536 + (195766423245049·f + 971821376·f² + 5127·f³ + 2^47) >> 48`), then
/// clamped to `1 … maximumShareTarget`. Late shares make the target easier,
/// early ones harder; the target halves or doubles every `halfLife` seconds of
/// drift from the ideal schedule.
public enum ShareDifficulty {
    /// The ASERT anchor: the chain's first share.
    public struct Anchor: Sendable, Hashable {
        public var timestamp: UInt64
        public var target: UInt256
        public init(timestamp: UInt64, target: UInt256) { self.timestamp = timestamp; self.target = target }
    }

    /// The easiest target a child of `parent` may declare under the schedule.
    public static func scheduledTarget(
        anchor: Anchor, parentHeight: UInt32, parentTimestamp: UInt64,
        interval: UInt64, halfLife: UInt64, maximumTarget: UInt256
    ) -> UInt256 {
        precondition(halfLife > 0 && interval > 0)
        // Signed drift from the ideal schedule in seconds, clamped to ±2^40 s
        // (35,000 years) so the fixed-point exponent below cannot overflow.
        let limit: Int64 = 1 << 40
        let elapsed = Int64(clamping: parentTimestamp) - Int64(clamping: anchor.timestamp)
        let ideal = Int64(clamping: interval).multipliedReportingOverflow(by: Int64(parentHeight))
        let drift = Swift.max(-limit, Swift.min(limit, ideal.overflow ? -limit : elapsed - ideal.partialValue))
        let exponent: Int64 = floorDivide(drift * 65536, Int64(clamping: halfLife))
        let shifts: Int64 = exponent >> 16  // arithmetic shift: floor
        let frac = UInt64(exponent & 0xffff)
        let term1: UInt64 = 195_766_423_245_049 &* frac
        let term2: UInt64 = 971_821_376 &* (frac &* frac)
        let term3: UInt64 = 5127 &* (frac &* frac &* frac)
        let polynomial: UInt64 = term1 &+ term2 &+ term3 &+ (1 << 47)
        let factor: UInt64 = 65536 + (polynomial >> 48)
        // T0 × factor needs up to 17 more bits than T0. For anchors within 17
        // bits of 2^256 the 16-bit fixed-point shift is applied before the
        // multiplication instead of after (dropping T0's low 16 bits, which
        // cannot matter at such targets); either way the result is exact and
        // deterministic.
        let early = anchor.target.bitLength + 17 > 256
        var next = (early ? anchor.target >> 16 : anchor.target).multiplied(by: factor)
        if shifts < 0 {
            next = next >> Int(min(-shifts, 256))
        } else {
            if shifts >= 256 || next.bitLength + Int(shifts) > 256 { return maximumTarget }
            next = next << Int(shifts)
        }
        if !early { next = next >> 16 }
        if next.isZero { return .one }
        return min(next, maximumTarget)
    }

    /// Floor division for a positive divisor.
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && a < 0) ? q - 1 : q
    }
}
