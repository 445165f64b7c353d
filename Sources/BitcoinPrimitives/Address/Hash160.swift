/// A 20-byte HASH160 (RIPEMD-160 of SHA-256): the key hash of a P2PKH or
/// P2WPKH output, or the script hash of a P2SH output.
///
/// This type only carries the bytes; it does not compute the hash.
public struct Hash160: Sendable, Hashable {
    /// The 20 bytes, in script order.
    public let bytes: [UInt8]

    /// Wraps exactly 20 bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 20 else { return nil }
        self.bytes = Array(bytes)
    }

    /// Parses 40 hex digits; nil otherwise.
    public init?(hex: String) {
        guard let raw = Hex.decode(hex) else { return nil }
        self.init(bytes: raw)
    }

    /// Lowercase hex of the 20 bytes.
    public var hex: String { Hex.encode(bytes) }
}

extension Hash160: CustomStringConvertible {
    public var description: String { hex }
}
