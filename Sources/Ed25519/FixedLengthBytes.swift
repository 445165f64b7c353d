internal import BitcoinPrimitives

/// A value that is exactly `byteCount` raw bytes (keys, signatures), with the hex
/// forms every such value shares.
public protocol FixedLengthBytes: Hashable, Sendable, CustomStringConvertible {
    /// The exact length in bytes.
    static var byteCount: Int { get }
    /// The raw bytes.
    var rawRepresentation: [UInt8] { get }
    /// Wraps bytes; `nil` unless there are exactly `byteCount` of them.
    init?(rawRepresentation: [UInt8])
    /// Calls `body` with the raw bytes in place (no array is made).
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension FixedLengthBytes {
    /// Parses `2 × byteCount` hex digits (either case); `nil` on any other input.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(rawRepresentation: bytes)
    }

    /// Lower-case hex of the bytes.
    public var hex: String { Hex.encode(rawRepresentation) }

    /// Lower-case hex of the bytes.
    public var description: String { hex }
}
