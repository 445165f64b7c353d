/// A Bitcoin script (scriptPubKey or scriptSig) as raw bytes.
public struct Script: Sendable, Hashable, Comparable {
    /// The script bytes.
    public var bytes: [UInt8]

    /// Wraps raw script bytes (empty by default).
    public init(_ bytes: [UInt8] = []) { self.bytes = bytes }

    /// Parses hex; nil when the text is not valid hex.
    public init?(hex: String) {
        guard let b = Hex.decode(hex) else { return nil }
        self.bytes = b
    }

    /// Lowercase hex of the bytes.
    public var hex: String { Hex.encode(bytes) }

    /// Lexicographic byte order (shorter prefix first), the tie-break used by TIDES.
    public static func < (lhs: Script, rhs: Script) -> Bool {
        // Compares eight bytes at a time as big-endian words (TIDES sorts payees
        // by script on every split, so this is on the validation hot path).
        lhs.bytes.withUnsafeBytes { l in
            rhs.bytes.withUnsafeBytes { r in
                let common = Swift.min(l.count, r.count)
                var i = 0
                while i + 8 <= common {
                    let a = UInt64(bigEndian: l.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    let b = UInt64(bigEndian: r.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    if a != b { return a < b }
                    i += 8
                }
                while i < common {
                    if l[i] != r[i] { return l[i] < r[i] }
                    i += 1
                }
                return l.count < r.count
            }
        }
    }
}

extension Script: CustomStringConvertible {
    /// Lowercase hex of the bytes.
    public var description: String { hex }
}
