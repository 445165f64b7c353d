internal import CSodium

/// The same type as ``SigningKey``: an Ed25519 private key.
public typealias PrivateKey = SigningKey

/// An Ed25519 private key, identified by its 32-byte RFC 8032 seed.
///
/// The key keeps libsodium's 64-byte expanded secret (seed followed by public key) in a
/// buffer it owns and overwrites with `sodium_memzero` when the last reference goes away.
/// This is why it is a class: a struct of `[UInt8]` cannot run code when its storage dies,
/// and copies of arrays cannot be tracked. Byte arrays handed *into* ``init(rawRepresentation:)``
/// or read *out of* ``rawRepresentation`` are ordinary arrays the caller must manage.
/// The buffer is not locked into RAM (`sodium_mlock`), so it may be swapped out.
///
/// `@unchecked Sendable`: the buffer is written only during `init` and only read afterwards;
/// libsodium's signing reads it without mutation, so concurrent use is safe.
public final class SigningKey: @unchecked Sendable, Equatable, CustomStringConvertible {
    /// The number of bytes in a seed (32).
    public static let seedByteCount = 32

    /// libsodium `crypto_sign_SECRETKEYBYTES`: seed (32) followed by the public key (32).
    private static let secretByteCount = 64

    private let secret: UnsafeMutablePointer<UInt8>

    /// The public half of the key pair.
    public let publicKey: PublicKey

    /// Derives the key pair from a 32-byte seed (`crypto_sign_seed_keypair`);
    /// `nil` if `rawRepresentation` is not exactly 32 bytes long.
    public init?(rawRepresentation seed: [UInt8]) {
        guard seed.count == Self.seedByteCount else { return nil }
        _ = Sodium.ready
        let secret = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.secretByteCount)
        var publicBytes = [UInt8](repeating: 0, count: PublicKey.byteCount)
        let status = publicBytes.withUnsafeMutableBufferPointer { pk in
            seed.withUnsafeBufferPointer { s in
                crypto_sign_seed_keypair(pk.baseAddress!, secret, s.baseAddress!)
            }
        }
        precondition(status == 0, "crypto_sign_seed_keypair failed")
        self.secret = secret
        publicKey = PublicKey(rawRepresentation: publicBytes)!
    }

    /// A fresh key from 32 bytes of the operating system's CSPRNG (`randombytes_buf`).
    public static func generate() -> SigningKey {
        var seed = Sodium.randomBytes(seedByteCount)
        defer { Sodium.zero(&seed) }
        return SigningKey(rawRepresentation: seed)!
    }

    deinit {
        sodium_memzero(secret, Self.secretByteCount)
        secret.deallocate()
    }

    /// A copy of the 32-byte secret seed. Whoever holds this array holds the key:
    /// write it only to owner-only storage (see ``NodeKeyFile``).
    public var rawRepresentation: [UInt8] {
        Array(UnsafeBufferPointer(start: secret, count: Self.seedByteCount))
    }

    /// The detached Ed25519 signature of `message` (`crypto_sign_detached`); deterministic.
    public func sign(_ message: [UInt8]) -> Signature {
        var bytes = [UInt8](repeating: 0, count: Signature.byteCount)
        let status = bytes.withUnsafeMutableBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                crypto_sign_detached(sig.baseAddress!, nil, msg.baseAddress, UInt64(msg.count), secret)
            }
        }
        precondition(status == 0, "crypto_sign_detached failed")
        return Signature(rawRepresentation: bytes)!
    }

    /// Whether both keys have the same seed, compared in constant time (`sodium_memcmp`).
    public static func == (lhs: SigningKey, rhs: SigningKey) -> Bool {
        sodium_memcmp(lhs.secret, rhs.secret, seedByteCount) == 0
    }

    /// Names the public key only, so a logged key never reveals its secret.
    public var description: String { "SigningKey(publicKey: \(publicKey.hex))" }
}
