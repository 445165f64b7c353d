import BitcoinPrimitives
import Ed25519
import LevelDB

/// What the store records about the node's identity key (the secret stays in its own
/// 0600 file, see ``DataDirectory``). Stored under `'m' "nodekey"` as
/// `public_key [32] | created_at i64` (little-endian unix seconds).
public struct NodeKeyMetadata: Sendable, Hashable {
    /// The node's Ed25519 public key.
    public var publicKey: PublicKey
    /// When the key was first recorded, unix seconds supplied by the caller.
    public var createdAt: Int64

    /// Metadata for `publicKey` created at `createdAt`.
    public init(publicKey: PublicKey, createdAt: Int64) {
        self.publicKey = publicKey
        self.createdAt = createdAt
    }

    var serialized: [UInt8] { publicKey.rawRepresentation + LittleEndian.bytes(createdAt) }

    init?(serialized bytes: [UInt8]) {
        guard bytes.count == PublicKey.byteCount + 8,
              let key = PublicKey(rawRepresentation: Array(bytes[..<PublicKey.byteCount])),
              let created = LittleEndian.value(Array(bytes[PublicKey.byteCount...]), as: Int64.self)
        else { return nil }
        publicKey = key
        createdAt = created
    }
}

extension LevelDBShareStore {
    /// The recorded node key metadata, or nil if none was recorded.
    public func nodeKeyMetadata() throws(ShareStoreError) -> NodeKeyMetadata? {
        guard let bytes = try ShareStoreError.wrap({ () throws(LevelDBError) in
            try database.get(StoreKeys.nodeKey)
        }) else { return nil }
        guard let metadata = NodeKeyMetadata(serialized: bytes) else {
            throw .corruptRecord(key: StoreKeys.describe(StoreKeys.nodeKey),
                                 reason: "node key metadata has \(bytes.count) bytes, expected 40")
        }
        return metadata
    }

    /// Records `metadata`, replacing any earlier record (always `fsync`ed: it is rare and small).
    public func setNodeKeyMetadata(_ metadata: NodeKeyMetadata) throws(ShareStoreError) {
        try ShareStoreError.wrap { () throws(LevelDBError) in
            try database.put(StoreKeys.nodeKey, metadata.serialized, sync: true)
        }
    }
}
