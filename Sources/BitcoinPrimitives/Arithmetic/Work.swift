/// Proof-of-work arithmetic shared by block and share validation.
public enum Work {
    /// The expected number of hashes needed to meet `target`:
    /// `floor(2^256 / (target + 1))` (Bitcoin Core `GetBlockProof`).
    ///
    /// Computed as `~target / (target + 1) + 1`, which equals the formula for every
    /// target and never needs 257 bits. The maximum target has work 1.
    public static func of(target: UInt256) -> UInt256 {
        if target == .max { return .one }
        return (~target) / (target + .one) + .one
    }

    /// Work of a compact target, or the decoding error.
    public static func of(bits: CompactTarget) throws(CompactTarget.DecodeError) -> UInt256 {
        of(target: try bits.target())
    }

    /// The difficulty-1 target of Bitcoin mainnet, `0x1d00ffff`.
    public static let difficultyOneTarget = UInt256(w0: 0, w1: 0, w2: 0, w3: 0x0000_0000_ffff_0000)

    /// Whether a block hash, read as a little-endian number, meets a target.
    @inlinable
    public static func meets(_ hash: Hash256, target: UInt256) -> Bool {
        hash.asUInt256 <= target
    }
}

/// Human-facing difficulty. Never used by consensus: display and statistics only.
public enum DisplayDifficulty {
    /// `difficultyOneTarget / target` as a floating-point number, for display only.
    public static func of(target: UInt256) -> Double {  // display only
        approximate(Work.difficultyOneTarget) / approximate(target)  // display only
    }

    private static func approximate(_ v: UInt256) -> Double {  // display only
        var result = 0.0  // display only
        for limb in [v.w3, v.w2, v.w1, v.w0] { result = result * 18446744073709551616.0 + Double(limb) }  // display only
        return result
    }
}
