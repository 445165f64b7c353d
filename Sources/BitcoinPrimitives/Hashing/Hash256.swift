/// 32 raw bytes of a SHA-256d digest in internal (little-endian) byte order.
///
/// Bitcoin displays hashes reversed ("RPC byte order"); `displayHex` and
/// `init(displayHex:)` convert. Typed wrappers (`BlockHash`, `Txid`, …) keep
/// different kinds of hash from being mixed up.
public struct Hash256: Sendable, Hashable {
    /// The digest as four little-endian 64-bit words (bytes 0–7 are `a`).
    @usableFromInline var a: UInt64, b: UInt64, c: UInt64, d: UInt64

    /// The all-zero hash (e.g. the genesis block's previous-block field).
    public static let zero = Hash256(a: 0, b: 0, c: 0, d: 0)

    @inlinable
    init(a: UInt64, b: UInt64, c: UInt64, d: UInt64) { self.a = a; self.b = b; self.c = c; self.d = d }

    /// Creates a hash from its four little-endian 64-bit words (bytes 0–7 are `w0`).
    @inlinable
    public init(littleEndianWords w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.init(a: w0, b: w1, c: w2, d: w3)
    }

    /// Creates a hash from exactly 32 bytes in internal byte order; nil otherwise.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        let u = UInt256(littleEndianBytes: bytes)
        self.init(a: u.w0, b: u.w1, c: u.w2, d: u.w3)
    }

    /// The 32 bytes in internal byte order.
    public var bytes: [UInt8] { asUInt256.littleEndianBytes }

    /// Calls `body` with the 32 bytes in internal byte order, on the stack (no array).
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var words = (a.littleEndian, b.littleEndian, c.littleEndian, d.littleEndian)
        return try Swift.withUnsafeBytes(of: &words, body)
    }

    /// The hash read as a little-endian 256-bit number, as proof-of-work compares it.
    @inlinable public var asUInt256: UInt256 { UInt256(w0: a, w1: b, w2: c, w3: d) }

    /// Parses 64 hex digits in display (reversed) order, as RPC and explorers show hashes.
    public init?(displayHex: String) {
        guard let raw = Hex.decode(displayHex), raw.count == 32 else { return nil }
        self.init(bytes: raw.reversed())
    }

    /// Parses 64 hex digits in internal byte order.
    public init?(internalHex: String) {
        guard let raw = Hex.decode(internalHex), raw.count == 32 else { return nil }
        self.init(bytes: raw)
    }

    /// Hex in display (reversed) byte order.
    public var displayHex: String { Hex.encode(bytes.reversed()) }

    /// Hex in internal byte order.
    public var internalHex: String { Hex.encode(bytes) }
}

extension Hash256: CustomStringConvertible {
    public var description: String { displayHex }
}

/// A hash with a meaning: block hash, txid, wtxid, merkle root, share hash.
///
/// Each meaning is its own type so that one can never be passed for another.
public protocol TypedHash: Sendable, Hashable, CustomStringConvertible {
    /// The underlying digest.
    var rawHash: Hash256 { get }
    /// Wraps a digest.
    init(rawHash: Hash256)
}

extension TypedHash {
    /// Hex in display (reversed) byte order, as bitcoind's RPC shows it.
    public var description: String { rawHash.displayHex }
    /// Parses the display (RPC) form.
    public init?(displayHex: String) {
        guard let h = Hash256(displayHex: displayHex) else { return nil }
        self.init(rawHash: h)
    }
}

/// The SHA-256d of an 80-byte block header.
public struct BlockHash: TypedHash {
    public let rawHash: Hash256
    public init(rawHash: Hash256) { self.rawHash = rawHash }
}

/// A transaction id: SHA-256d of the serialization without witness data.
public struct Txid: TypedHash {
    public let rawHash: Hash256
    public init(rawHash: Hash256) { self.rawHash = rawHash }
}

/// A witness transaction id (BIP141): SHA-256d of the full serialization.
public struct Wtxid: TypedHash {
    public let rawHash: Hash256
    public init(rawHash: Hash256) { self.rawHash = rawHash }
}

/// The root of a transaction merkle tree, as stored in a block header.
public struct MerkleRoot: TypedHash {
    public let rawHash: Hash256
    public init(rawHash: Hash256) { self.rawHash = rawHash }
}
