/// A proof-of-work target in Bitcoin's compact "nBits" form: a one-byte base-256
/// exponent and a 23-bit mantissa with a sign bit (Bitcoin Core `arith_uint256::SetCompact`).
public struct CompactTarget: Sendable, Hashable, RawRepresentable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Why a compact value does not describe a usable target.
    public enum DecodeError: Error, Equatable, Sendable {
        /// The sign bit is set on a non-zero mantissa.
        case negative
        /// The value does not fit in 256 bits.
        case overflow
        /// The value is zero; no hash can meet it.
        case zero
    }

    /// Decodes the target. Negative, overflowing and zero values are errors, as in
    /// Bitcoin Core's `CheckProofOfWork`.
    public func target() throws(DecodeError) -> UInt256 {
        let size = Int(rawValue >> 24)
        var word = UInt64(rawValue & 0x007f_ffff)
        // As in Core, small sizes shift the mantissa first; the sign and overflow
        // checks look at the shifted mantissa (so 0x01803456 is zero, not negative).
        if size <= 3 { word >>= UInt64(8 * (3 - size)) }
        if word != 0 && rawValue & 0x0080_0000 != 0 { throw .negative }
        if word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32)) {
            throw .overflow
        }
        let value = size <= 3 ? UInt256(word) : UInt256(word) << (8 * (size - 3))
        if value.isZero { throw .zero }
        return value
    }

    /// Encodes a target, rounding down to the 3-byte mantissa (Bitcoin Core `GetCompact`).
    public init(target: UInt256) {
        var size = (target.bitLength + 7) / 8
        var compact: UInt64
        if size <= 3 {
            compact = target.w0 << UInt64(8 * (3 - size))
        } else {
            compact = (target >> (8 * (size - 3))).w0
        }
        if compact & 0x0080_0000 != 0 {
            compact >>= 8
            size += 1
        }
        self.rawValue = UInt32(compact) | UInt32(size) << 24
    }

    /// Parses 8 hex digits, as `getblocktemplate`'s `bits` field gives them.
    public init?(hex: String) {
        guard hex.utf8.count == 8, let v = UInt32(hex, radix: 16) else { return nil }
        self.rawValue = v
    }

    /// 8 lowercase hex digits.
    public var hex: String {
        let s = String(rawValue, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}

extension CompactTarget: CustomStringConvertible {
    public var description: String { hex }
}
