/// The Bech32 (BIP173) and Bech32m (BIP350) checksummed base-32 formats:
/// `hrp ‖ "1" ‖ data ‖ 6-character checksum`.
///
/// This type handles the generic format only; segwit address rules live in
/// `WitnessProgram` and `Address`.
public enum Bech32 {
    /// The two checksum variants. They differ only in the constant XORed into
    /// the checksum (BIP350); no string is valid under both.
    public enum Variant: Sendable, Hashable, CustomStringConvertible {
        /// BIP173 Bech32, constant 1. Used by witness version 0.
        case bech32
        /// BIP350 Bech32m, constant 0x2bc830a3. Used by witness versions 1–16.
        case bech32m

        /// The constant the checksum polynomial must leave.
        public var constant: UInt32 { self == .bech32 ? 1 : 0x2bc8_30a3 }

        public var description: String { self == .bech32 ? "bech32" : "bech32m" }
    }

    /// BIP173: a Bech32 string is at most 90 characters.
    public static let maxLength = 90

    /// Length of the checksum in characters.
    static let checksumLength = 6

    /// The 32 data characters, in value order (BIP173).
    static let charset: [UInt8] = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    /// Value of each lowercase ASCII code, or -1 when it is not a data character.
    static let charValues: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (value, char) in charset.enumerated() { table[Int(char)] = Int8(value) }
        return table
    }()

    /// The BCH checksum polynomial of BIP173 over GF(32).
    static func polymod(_ values: some Sequence<UInt8>) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var chk: UInt32 = 1
        for v in values {
            let top = chk >> 25
            chk = (chk & 0x1ff_ffff) << 5 ^ UInt32(v)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { chk ^= generator[i] }
        }
        return chk
    }

    /// The HRP expanded for checksumming: high 3 bits of each character, a zero,
    /// then the low 5 bits of each character (BIP173 `hrp_expand`).
    static func expandHRP(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// Encodes 5-bit values under a lowercase ASCII HRP without checking either.
    static func encodeUnchecked(hrp: [UInt8], values: [UInt8], variant: Variant) -> String {
        let mod = polymod(expandHRP(hrp) + values + [UInt8](repeating: 0, count: checksumLength)) ^ variant.constant
        var out = hrp
        out.append(UInt8(ascii: "1"))
        for v in values { out.append(charset[Int(v)]) }
        for i in 0..<checksumLength { out.append(charset[Int((mod >> UInt32(5 * (5 - i))) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes 5-bit values with a checksum, in lowercase.
    ///
    /// - Parameters:
    ///   - hrp: the human-readable part: 1 or more ASCII characters 33–126 (upper case is lowered).
    ///   - values: data values, each below 32.
    /// - Throws: `.emptyHRP`, `.invalidCharacter` (in the HRP), `.valueOutOfRange`,
    ///   or `.tooLong` when the result would exceed 90 characters.
    public static func encode(hrp: String, values: [UInt8], variant: Variant) throws(AddressError) -> String {
        var hrpBytes = [UInt8]()
        for (position, scalar) in hrp.unicodeScalars.enumerated() {
            guard (33...126).contains(scalar.value) else { throw .invalidCharacter(scalar, position: position) }
            hrpBytes.append(lowercased(UInt8(scalar.value)))
        }
        if hrpBytes.isEmpty { throw .emptyHRP }
        if let bad = values.first(where: { $0 >= 32 }) { throw .valueOutOfRange(value: bad, bits: 5) }
        let length = hrpBytes.count + 1 + values.count + checksumLength
        if length > maxLength { throw .tooLong(length: length, limit: maxLength) }
        return encodeUnchecked(hrp: hrpBytes, values: values, variant: variant)
    }

    /// Decodes a Bech32 or Bech32m string, reporting which checksum it carries.
    ///
    /// Applies every BIP173 string rule: at most 90 characters, each in ASCII
    /// 33–126, not mixed case, a non-empty HRP before the last `1`, at least six
    /// data characters all from the Bech32 charset, and a valid checksum.
    ///
    /// - Returns: the lowercase HRP, the 5-bit data values without the checksum,
    ///   and the checksum variant.
    public static func decode(_ text: String) throws(AddressError) -> (hrp: String, values: [UInt8], variant: Variant) {
        let bytes = try validatedASCII(text)
        guard let separator = bytes.lastIndex(of: UInt8(ascii: "1")) else { throw .missingSeparator }
        if separator == 0 { throw .emptyHRP }
        let hrp = Array(bytes[..<separator])
        if bytes.count - separator - 1 < checksumLength { throw .checksumTooShort }
        var values = [UInt8]()
        values.reserveCapacity(bytes.count - separator - 1)
        for position in (separator + 1)..<bytes.count {
            let value = charValues[Int(bytes[position])]
            guard value >= 0 else {
                throw .invalidCharacter(Unicode.Scalar(originalCase(text, position)), position: position)
            }
            values.append(UInt8(value))
        }
        let residue = polymod(expandHRP(hrp) + values)
        let variant: Variant
        switch residue {
        case Variant.bech32.constant: variant = .bech32
        case Variant.bech32m.constant: variant = .bech32m
        default: throw .invalidChecksum
        }
        return (String(decoding: hrp, as: UTF8.self), Array(values.dropLast(checksumLength)), variant)
    }

    /// Regroups bits, most significant first (BIP173 `convertbits`).
    ///
    /// With `pad`, a final partial group is zero-padded. Without it, leftover
    /// input bits must be fewer than `fromBits` and all zero, as BIP173 requires
    /// when turning 5-bit address data back into bytes.
    public static func convertBits(_ input: [UInt8], from fromBits: Int, to toBits: Int, pad: Bool) throws(AddressError) -> [UInt8] {
        precondition((1...8).contains(fromBits) && (1...8).contains(toBits), "bit widths must be 1...8")
        var acc: UInt32 = 0
        var bits = 0
        let maxValue: UInt32 = (1 << UInt32(toBits)) - 1
        let maxAccumulator: UInt32 = (1 << UInt32(fromBits + toBits - 1)) - 1
        var out = [UInt8]()
        out.reserveCapacity(input.count * fromBits / toBits + 1)
        for value in input {
            if UInt32(value) >> UInt32(fromBits) != 0 { throw .valueOutOfRange(value: value, bits: fromBits) }
            acc = (acc << UInt32(fromBits) | UInt32(value)) & maxAccumulator
            bits += fromBits
            while bits >= toBits {
                bits -= toBits
                out.append(UInt8((acc >> UInt32(bits)) & maxValue))
            }
        }
        if pad {
            if bits > 0 { out.append(UInt8((acc << UInt32(toBits - bits)) & maxValue)) }
        } else if bits >= fromBits {
            throw .excessPadding(bits: bits)
        } else if (acc << UInt32(toBits - bits)) & maxValue != 0 {
            throw .nonZeroPadding
        }
        return out
    }

    // MARK: - Helpers

    /// The text as ASCII bytes, lowercased, after the length, character-range
    /// and mixed-case checks of BIP173.
    static func validatedASCII(_ text: String) throws(AddressError) -> [UInt8] {
        if text.isEmpty { throw .empty }
        var bytes = [UInt8]()
        var hasLower = false, hasUpper = false
        for (position, scalar) in text.unicodeScalars.enumerated() {
            if position >= maxLength { throw .tooLong(length: text.unicodeScalars.count, limit: maxLength) }
            guard (33...126).contains(scalar.value) else { throw .invalidCharacter(scalar, position: position) }
            let byte = UInt8(scalar.value)
            if (0x61...0x7a).contains(byte) { hasLower = true }
            if (0x41...0x5a).contains(byte) { hasUpper = true }
            bytes.append(lowercased(byte))
        }
        if hasLower && hasUpper { throw .mixedCase }
        return bytes
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5a).contains(byte) ? byte | 0x20 : byte
    }

    /// The ASCII character at `position` of already-validated text, as written.
    private static func originalCase(_ text: String, _ position: Int) -> UInt8 {
        UInt8(text.unicodeScalars[text.unicodeScalars.index(text.unicodeScalars.startIndex, offsetBy: position)].value)
    }
}
