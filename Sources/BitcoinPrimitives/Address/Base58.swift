/// Bitcoin's Base58 encoding: big-endian base-58 digits over an alphabet
/// without the look-alikes `0`, `O`, `I` and `l`; each leading zero byte is
/// written as one leading `1`.
public enum Base58 {
    /// The 58 digits, in value order.
    static let alphabet: [UInt8] = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    /// Digit value of each ASCII code, or -1 when it is not a Base58 digit.
    static let digitValues: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = Int8(value) }
        return table
    }()

    /// Whether a scalar is one of the 58 digits.
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 128 && digitValues[Int(scalar.value)] >= 0
    }

    /// Encodes bytes as Base58 text.
    public static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix { $0 == 0 }.count
        // Base-58 digits, least significant first. log(256)/log(58) < 1.37.
        var digits = [UInt8]()
        digits.reserveCapacity(bytes.count * 137 / 100 + 1)
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            for i in digits.indices {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        var out = [UInt8](repeating: alphabet[0], count: zeros)
        out.append(contentsOf: digits.reversed().map { alphabet[Int($0)] })
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes Base58 text. Empty text decodes to no bytes.
    ///
    /// - Throws: `.invalidCharacter` for anything outside the alphabet
    ///   (including `0`, `O`, `I`, `l` and whitespace).
    public static func decode(_ text: String) throws(AddressError) -> [UInt8] {
        var values = [UInt8]()
        for (position, scalar) in text.unicodeScalars.enumerated() {
            guard isDigit(scalar) else { throw .invalidCharacter(scalar, position: position) }
            values.append(UInt8(digitValues[Int(scalar.value)]))
        }
        let zeros = values.prefix { $0 == 0 }.count
        // Base-256 bytes, least significant first.
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 3 / 4 + 1)
        for value in values[zeros...] {
            var carry = Int(value)
            for i in bytes.indices {
                carry += Int(bytes[i]) * 58
                bytes[i] = UInt8(carry & 0xff)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xff))
                carry >>= 8
            }
        }
        return [UInt8](repeating: 0, count: zeros) + bytes.reversed()
    }
}

/// Base58Check: Base58 of `payload ‖ checksum`, where the checksum is the first
/// four bytes of SHA-256d(payload). Used by legacy P2PKH and P2SH addresses,
/// whose payload is a version byte followed by a 20-byte hash.
public enum Base58Check {
    /// The first four bytes of SHA-256d of the payload.
    static func checksum(_ payload: [UInt8]) -> [UInt8] {
        Array(SHA256d.hash(payload).bytes.prefix(4))
    }

    /// Encodes a payload with its 4-byte checksum appended.
    public static func encode(_ payload: [UInt8]) -> String {
        Base58.encode(payload + checksum(payload))
    }

    /// Decodes text and verifies its checksum, returning the payload without it.
    ///
    /// - Throws: `.empty`, `.invalidCharacter`, `.checksumTooShort` (fewer than
    ///   4 bytes) or `.invalidChecksum`.
    public static func decode(_ text: String) throws(AddressError) -> [UInt8] {
        if text.isEmpty { throw .empty }
        let bytes = try Base58.decode(text)
        guard bytes.count >= 4 else { throw .checksumTooShort }
        let payload = Array(bytes.dropLast(4))
        guard checksum(payload) == Array(bytes.suffix(4)) else { throw .invalidChecksum }
        return payload
    }
}
