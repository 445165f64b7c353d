/// Bitcoin script numbers (Bitcoin Core `CScriptNum`): little-endian magnitude with
/// the sign in the top bit of the last byte, and no redundant bytes. Zero is empty.
public enum ScriptNum {
    /// Why bytes are not an acceptable script number.
    public enum DecodeError: Error, Equatable, Sendable {
        /// More bytes than the allowed maximum.
        case tooLong(count: Int, maxSize: Int)
        /// A redundant trailing byte (only checked when minimal encoding is required).
        case nonMinimal
    }

    /// The minimal encoding of `value` (Bitcoin Core `CScriptNum::serialize`).
    public static func encode(_ value: Int64) -> [UInt8] {
        if value == 0 { return [] }
        var magnitude = value.magnitude
        var out: [UInt8] = []
        out.reserveCapacity(9)
        while magnitude > 0 {
            out.append(UInt8(truncatingIfNeeded: magnitude))
            magnitude >>= 8
        }
        // The top bit of the last byte is the sign; add a byte when the magnitude uses it.
        if out[out.count - 1] & 0x80 != 0 {
            out.append(value < 0 ? 0x80 : 0x00)
        } else if value < 0 {
            out[out.count - 1] |= 0x80
        }
        return out
    }

    /// Decodes a script number of at most `maxSize` bytes (Core's default is 4; at most 8).
    ///
    /// With `requireMinimal`, rejects encodings with a redundant last byte, as Core's
    /// `SCRIPT_VERIFY_MINIMALDATA` does.
    public static func decode(_ bytes: some Collection<UInt8>, maxSize: Int = 4,
                              requireMinimal: Bool = true) throws(DecodeError) -> Int64 {
        precondition((1...8).contains(maxSize), "script numbers are at most 8 bytes here")
        let b = Array(bytes)
        if b.count > maxSize { throw .tooLong(count: b.count, maxSize: maxSize) }
        guard let last = b.last else { return 0 }
        if requireMinimal && last & 0x7f == 0 && (b.count == 1 || b[b.count - 2] & 0x80 == 0) {
            throw .nonMinimal
        }
        var magnitude: UInt64 = 0
        for (i, byte) in b.enumerated() {
            let v = i == b.count - 1 ? byte & 0x7f : byte
            magnitude |= UInt64(v) << UInt64(8 * i)
        }
        // With 8 bytes the sign bit is cleared, so the magnitude is below 2^63.
        let signed = Int64(magnitude)
        return last & 0x80 != 0 ? -signed : signed
    }
}
