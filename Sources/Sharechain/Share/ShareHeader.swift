import BitcoinPrimitives
import Ed25519

/// The share header a coinbase commits to (Docs/PROTOCOL.md §2). Serialized, it is what the
/// node signs and what `ShareHash` hashes; its hash is the payload of the
/// coinbase's `OP_RETURN` commitment.
///
/// Layout (little-endian integers), share version 2:
/// `version u32 | consensus_id [32] | prev_share [32] | height u32 | bits u32 |
///  timestamp u64 | coinbase_class u8 | payout_script varbytes(≤ 42) | node_key [32]`
public struct ShareHeader: Sendable, Hashable {
    public var version: UInt32
    public var consensusID: ConsensusID
    /// The parent share, or `ShareHash.none` for a chain's first share.
    public var previousShare: ShareHash
    /// Number of ancestors (0 for the first share).
    public var height: UInt32
    /// The declared share target; the share's TIDES weight is `work(bits)`.
    public var bits: CompactTarget
    /// Unix time in seconds when the node created the job.
    public var timestamp: UInt64
    /// The raw `coinbase_class` byte: which `CoinbaseSizeClass` the coinbase was built
    /// for, and so the payout byte budget of its TIDES split. Kept raw so that a share
    /// with an unknown id decodes and is refused by validation with a typed error.
    public var coinbaseSizeClassID: UInt8
    /// The miner's payout scriptPubKey (a standard address script).
    public var payoutScript: Script
    /// The publishing node's Ed25519 key.
    public var nodeKey: PublicKey

    /// Longest payout script: a segwit v1+ program of 40 bytes plus 2 bytes of opcodes.
    public static let maxPayoutScriptSize = CoinbaseLayout.maxPayoutScriptSize

    public init(version: UInt32 = SharechainParameters.shareVersion, consensusID: ConsensusID,
                previousShare: ShareHash, height: UInt32, bits: CompactTarget, timestamp: UInt64,
                coinbaseSizeClass: CoinbaseSizeClass = .safest, payoutScript: Script, nodeKey: PublicKey) {
        self.version = version
        self.consensusID = consensusID
        self.previousShare = previousShare
        self.height = height
        self.bits = bits
        self.timestamp = timestamp
        self.coinbaseSizeClassID = coinbaseSizeClass.rawValue
        self.payoutScript = payoutScript
        self.nodeKey = nodeKey
    }

    /// The declared coinbase size class, or nil when the id is not one this version knows.
    public var coinbaseSizeClass: CoinbaseSizeClass? {
        get { CoinbaseSizeClass(rawValue: coinbaseSizeClassID) }
        set { coinbaseSizeClassID = newValue?.rawValue ?? 0 }
    }

    /// SHA-256d of the serialized header (serialized on the stack, no allocation).
    public var hash: ShareHash { ShareHash(rawHash: withSerializedBytes { SHA256d.hash(bufferPointer: $0) }) }

    /// The bytes a node signs: the domain tag, ASCII `"tidepool/share/v1"` (17 bytes,
    /// no length prefix), followed by the share hash (32 bytes, internal order).
    public var signingMessage: [UInt8] { Self.signingMessage(for: hash) }

    /// The signing message of the header whose hash is `hash`.
    public static func signingMessage(for hash: ShareHash) -> [UInt8] {
        withSigningMessage(for: hash) { Array($0) }
    }

    /// Calls `body` with the signing message of the header whose hash is `hash`, built on
    /// the stack (every share validation verifies one).
    public static func withSigningMessage<R>(for hash: ShareHash, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &storage) { raw in
            var cursor = FixedBufferWriter(raw)
            cursor.write(signingTag)
            cursor.write(hash.rawHash)
            return try body(UnsafeRawBufferPointer(rebasing: raw[..<cursor.offset]))
        }
    }

    /// Whether `signature` is `nodeKey`'s signature of the header whose hash is `hash`.
    public func isSigned(by signature: Signature, hash: ShareHash) -> Bool {
        Self.withSigningMessage(for: hash) { nodeKey.isValidSignature(signature, for: $0) }
    }

    static let signingTag: StaticString = "tidepool/share/v1"

    /// Calls `body` with the serialized header (the layout above), built on the stack for
    /// the usual sizes: `hash` and `encode(to:)` both read it, so the layout is written once.
    public func withSerializedBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(byteCount: encodedSizeHint, alignment: 8) { raw in
            var cursor = FixedBufferWriter(raw)
            cursor.writeLittleEndian(version)
            cursor.write(consensusID.rawHash)
            cursor.write(previousShare.rawHash)
            cursor.writeLittleEndian(height)
            cursor.writeLittleEndian(bits.rawValue)
            cursor.writeLittleEndian(timestamp)
            cursor.writeLittleEndian(coinbaseSizeClassID)
            cursor.writeCompactSize(UInt64(payoutScript.bytes.count))
            payoutScript.bytes.withUnsafeBytes { cursor.write($0) }
            nodeKey.withUnsafeBytes { cursor.write($0) }
            precondition(cursor.offset == raw.count, "encodedSizeHint is the exact size")
            return try body(UnsafeRawBufferPointer(raw))
        }
    }
}

extension ShareHeader: ConsensusCodable {
    /// The exact serialized size (one allocation when hashing the header).
    public var encodedSizeHint: Int {
        4 + 32 + 32 + 4 + 4 + 8 + 1 + compactSizeLength(UInt64(payoutScript.bytes.count)) + payoutScript.bytes.count
            + PublicKey.byteCount
    }

    public func encode(to writer: inout ByteWriter) {
        withSerializedBytes { writer.write($0) }
    }

    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        version = try reader.readLittleEndian()
        consensusID = ConsensusID(rawHash: try reader.readHash256())
        previousShare = ShareHash(rawHash: try reader.readHash256())
        height = try reader.readLittleEndian()
        bits = CompactTarget(rawValue: try reader.readLittleEndian())
        timestamp = try reader.readLittleEndian()
        coinbaseSizeClassID = try reader.readUInt8()
        payoutScript = Script(try reader.readVarBytes(maxLength: Self.maxPayoutScriptSize))
        let keyOffset = reader.offset
        guard let key = PublicKey(rawRepresentation: try reader.readBytes(PublicKey.byteCount)) else {
            throw .invalidValue(offset: keyOffset, reason: "node key")
        }
        nodeKey = key
    }
}
