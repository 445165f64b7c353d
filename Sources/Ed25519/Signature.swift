/// An Ed25519 signature: 64 bytes (the point R followed by the scalar S).
public struct Signature: FixedLengthBytes {
    /// The number of bytes in a signature (64).
    public static let byteCount = 64

    /// The 64 bytes, held inline (no heap storage, no reference counting).
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    /// The 64 signature bytes.
    public var rawRepresentation: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Wraps 64 bytes; `nil` if `rawRepresentation` is not exactly 64 bytes long.
    public init?(rawRepresentation: [UInt8]) {
        guard rawRepresentation.count == Self.byteCount else { return nil }
        Swift.withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: rawRepresentation) }
    }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    public static func == (a: Signature, b: Signature) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } }
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
