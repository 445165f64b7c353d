internal import CSodium

/// An Ed25519 public key: the 32-byte compressed point of RFC 8032.
///
/// Construction only checks the length; a malformed point (or a small-order point, which
/// libsodium rejects) simply makes every signature check fail.
public struct PublicKey: FixedLengthBytes {
    /// The number of bytes in an encoded public key (32).
    public static let byteCount = 32

    /// The 32 encoded bytes.
    public let rawRepresentation: [UInt8]

    /// Wraps 32 encoded bytes; `nil` if `rawRepresentation` is not exactly 32 bytes long.
    public init?(rawRepresentation: [UInt8]) {
        guard rawRepresentation.count == Self.byteCount else { return nil }
        self.rawRepresentation = rawRepresentation
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
        return signature.rawRepresentation.withUnsafeBufferPointer { sig in
            rawRepresentation.withUnsafeBufferPointer { key in
                crypto_sign_verify_detached(sig.baseAddress!, message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                            UInt64(message.count), key.baseAddress!) == 0
            }
        }
    }
}
