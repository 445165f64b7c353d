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
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

extension Script: CustomStringConvertible {
    /// Lowercase hex of the bytes.
    public var description: String { hex }
}
