import BitcoinPrimitives
import BitcoinRPC

/// The devnet's difficulty adjustment: an integer ASERT (aserti3-2d style) anchored
/// at block 1.
///
/// Block 1 has `initialBits`. For a block at height `h ≥ 2` whose parent is at height
/// `h − 1` with time `t`, the chain is `d = (t − t₁) − interval × (h − 2)` seconds
/// behind its ideal schedule (`t₁` = block 1's time on the same branch), and
///
///     target = target₁ × 2^(d / halfLife)
///
/// computed in 16-bit fixed point with the cubic approximation of `2^x` used by
/// aserti3-2d, clamped to `[1, powLimit]`. Unlike the sharechain's ASERT this one
/// is anchored at the first mined block rather than genesis, because the devnet
/// genesis has a fixed, old timestamp.
public enum DevnetDifficulty {
    /// The ASERT target for a block `heightDiff + 1` blocks after the anchor block,
    /// whose parent's time is `timeDiff` seconds after the anchor's.
    public static func asertTarget(anchorTarget: UInt256, timeDiff: Int64, heightDiff: Int64,
                                   interval: Int64, halfLife: Int64, powLimit: UInt256) -> UInt256 {
        let exponent = ((timeDiff - interval * heightDiff) * 65536) / halfLife
        let shifts = exponent >> 16
        let frac = UInt64(exponent & 0xffff)
        let poly = 195_766_423_245_049 &* frac
            &+ 971_821_376 &* frac &* frac
            &+ 5127 &* frac &* frac &* frac
            &+ (1 << 47)
        let factor = 65536 + (poly >> 48)
        // floor(anchorTarget × factor / 65536), split so the product fits in 256 bits.
        let high = (anchorTarget >> 16).multipliedReportingOverflow(by: UInt256(factor))
        if high.overflow { return powLimit }
        let low = (anchorTarget & UInt256(0xffff)).multiplied(by: factor) >> 16
        var target = high.partialValue &+ low
        if shifts < 0 {
            target = target >> Int(min(-shifts, 256))
        } else if shifts > 0 {
            if shifts >= 256 || target.leadingZeroBitCount < Int(shifts) { return powLimit }
            target = target << Int(shifts)
        }
        if target.isZero { return .one }
        return min(target, powLimit)
    }
}
