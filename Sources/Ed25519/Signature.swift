/// An Ed25519 signature: 64 bytes (the point R followed by the scalar S).
public struct Signature: Hashable, Sendable, CustomStringConvertible {
    /// The number of bytes in a signature (64).
    public static let byteCount = 64

    /// The 64 signature bytes.
    public let rawRepresentation: [UInt8]

    /// Wraps 64 bytes; `nil` if `rawRepresentation` is not exactly 64 bytes long.
    public init?(rawRepresentation: [UInt8]) {
        guard rawRepresentation.count == Self.byteCount else { return nil }
        self.rawRepresentation = rawRepresentation
    }

    /// Parses 128 hex digits (either case); `nil` on any other input.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(rawRepresentation: bytes)
    }

    /// The signature as 128 lower-case hex digits.
    public var hex: String { Hex.encode(rawRepresentation) }

    /// The signature as 128 lower-case hex digits.
    public var description: String { hex }
}
