internal import CSodium

/// An Ed25519 public key: the 32-byte compressed point of RFC 8032.
///
/// Construction only checks the length; a malformed point (or a small-order point, which
/// libsodium rejects) simply makes every signature check fail.
public struct PublicKey: FixedLengthBytes {
    /// The number of bytes in an encoded public key (32).
    public static let byteCount = 32

    /// The 32 encoded bytes, held inline (a key is copied with every share header: no
    /// heap storage, no reference counting).
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The 32 encoded bytes.
    public var rawRepresentation: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Wraps 32 encoded bytes; `nil` if `rawRepresentation` is not exactly 32 bytes long.
    public init?(rawRepresentation: [UInt8]) {
        guard rawRepresentation.count == Self.byteCount else { return nil }
        Swift.withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: rawRepresentation) }
    }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    public static func == (a: PublicKey, b: PublicKey) -> Bool {
        a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1 && a.storage.2 == b.storage.2 && a.storage.3 == b.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }

    /// Whether `signature` is a valid Ed25519 signature of `message` under this key
    /// (`crypto_sign_verify_detached`, which also rejects non-canonical signatures and
    /// small-order keys).
    public func isValidSignature(_ signature: Signature, for message: [UInt8]) -> Bool {
        message.withUnsafeBytes { isValidSignature(signature, for: $0) }
    }

    /// `isValidSignature(_:for:)` of a message in memory the caller owns (e.g. on its stack).
    public func isValidSignature(_ signature: Signature, for message: UnsafeRawBufferPointer) -> Bool {
        _ = Sodium.ready
        return signature.withUnsafeBytes { sig in
            withUnsafeBytes { key in
                crypto_sign_verify_detached(sig.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                            message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                            UInt64(message.count), key.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
            }
        }
    }
}
