/// An Ed25519 signature: 64 bytes (the point R followed by the scalar S).
public struct Signature: FixedLengthBytes {
    /// The number of bytes in a signature (64).
    public static let byteCount = 64

    /// The 64 signature bytes.
    public let rawRepresentation: [UInt8]

    /// Wraps 64 bytes; `nil` if `rawRepresentation` is not exactly 64 bytes long.
    public init?(rawRepresentation: [UInt8]) {
        guard rawRepresentation.count == Self.byteCount else { return nil }
        self.rawRepresentation = rawRepresentation
    }
}
