import BitcoinPrimitives
import LevelDB
import Logging
import Sharechain

/// The node's sharechain store over LevelDB (Docs/STORAGE.md has the key schema).
///
/// Every ``commit(_:summary:newTip:)`` is one LevelDB write batch: the share, its
/// summary, the share counter and the tip move appear together or not at all after a
/// crash. Writes are not `fsync`ed unless ``Configuration/syncWrites`` is set: a killed
/// process loses nothing (the batch is in the kernel when `commit` returns), a power loss
/// or kernel crash may lose the last commits but never leaves half of one.
///
/// Thread safety: the type is `Sendable` without `@unchecked`: its `LevelDB` handle is
/// documented thread-safe, write batches are local to each call, and the share counter
/// lives in a lock (`Locked`) that every writer of share records holds for its whole
/// read-check-write, so concurrent commits and prunes keep the counter exact.
public final class LevelDBShareStore: ShareStore {
    /// How the store is opened.
    public struct Configuration: Sendable {
        /// `fsync` the LevelDB log on every write (default `false`; see the type's docs).
        public var syncWrites: Bool
        /// LevelDB options (cache, Bloom filter, write buffer).
        public var database: LevelDB.Options

        /// A configuration; the defaults suit the node.
        public init(syncWrites: Bool = false, database: LevelDB.Options = LevelDB.Options()) {
            self.syncWrites = syncWrites
            self.database = database
        }
    }

    /// The schema version this build reads and writes.
    public static let schemaVersion: UInt32 = 1
    /// ``forEachSummary(progress:_:)`` reports progress after this many records.
    public static let progressInterval = 50_000
    /// ``prune(belowHeight:)`` deletes at most this many shares per write batch.
    public static let pruneBatchShares = 1_000

    /// The LevelDB directory.
    public let path: String
    /// The configuration the store was opened with.
    public let configuration: Configuration
    /// The peer address book, kept in the same database.
    public let peers: PeerAddressBook
    /// The blocks this node found, kept in the same database.
    public let foundBlocks: FoundBlockBook
    let database: LevelDB
    let logger: Logger
    /// The stored share count; held by every writer of share records.
    let shareCount: Locked<UInt64>

    /// Opens the store in LevelDB directory `path`, creating it (schema version 1, no
    /// shares) when the directory holds no database.
    /// - Throws: ``ShareStoreError/unsupportedSchemaVersion(path:found:supported:)`` for a
    ///   store of another schema version, ``ShareStoreError/notAShareStore(path:)`` for a
    ///   foreign database, ``ShareStoreError/database(_:)`` (for example a held lock).
    public init(path: String, configuration: Configuration = Configuration(), logger: Logger) throws(ShareStoreError) {
        self.path = path
        self.configuration = configuration
        self.logger = logger
        let database = try ShareStoreError.wrap { () throws(LevelDBError) in
            try LevelDB(path: path, options: configuration.database)
        }
        self.database = database
        peers = PeerAddressBook(database: database, syncWrites: configuration.syncWrites)
        foundBlocks = FoundBlockBook(database: database, syncWrites: configuration.syncWrites)
        shareCount = Locked(try Self.prepare(database, path: path, logger: logger))
        logger.info("opened share store", metadata: ["path": "\(path)", "shares": "\(count())"])
    }

    /// Checks (or on a fresh database, writes) the schema record; returns the share count.
    private static func prepare(_ database: LevelDB, path: String, logger: Logger) throws(ShareStoreError) -> UInt64 {
        guard let version = try ShareStoreError.wrap({ () throws(LevelDBError) in try database.get(StoreKeys.schema) })
        else {
            let empty = try ShareStoreError.wrap { () throws(LevelDBError) in
                try database.firstEntry(withPrefix: []) == nil
            }
            guard empty else { throw .notAShareStore(path: path) }
            let batch = WriteBatch()
            batch.put(StoreKeys.schema, LittleEndian.bytes(schemaVersion))
            batch.put(StoreKeys.count, LittleEndian.bytes(UInt64(0)))
            try ShareStoreError.wrap { () throws(LevelDBError) in try database.write(batch, sync: true) }
            logger.info("created share store", metadata: ["path": "\(path)", "schema": "\(schemaVersion)"])
            return 0
        }
        guard let found = LittleEndian.value(version, as: UInt32.self) else {
            throw .corruptRecord(key: StoreKeys.describe(StoreKeys.schema),
                                 reason: "schema version has \(version.count) bytes, expected 4")
        }
        guard found == schemaVersion else {
            throw .unsupportedSchemaVersion(path: path, found: found, supported: schemaVersion)
        }
        let stored = try ShareStoreError.wrap { () throws(LevelDBError) in try database.get(StoreKeys.count) }
        guard let stored, let count = LittleEndian.value(stored, as: UInt64.self) else {
            throw .corruptRecord(key: StoreKeys.describe(StoreKeys.count),
                                 reason: "share counter is missing or not 8 bytes")
        }
        return count
    }

    /// Atomically stores `share` and `summary` (and moves the tip to `newTip` if given) in
    /// one write batch. Committing a share that is already stored rewrites its records
    /// without counting it twice. The store does not validate: `summary` must describe `share`.
    public func commit(_ share: WireShare, summary: ShareSummary, newTip: ShareHash?) throws {
        let summaryKey = StoreKeys.summary(height: summary.height, hash: summary.hash)
        let batch = WriteBatch()
        batch.put(StoreKeys.share(summary.hash), share.serialized)
        batch.put(summaryKey, summary.serialized)
        if let newTip { batch.put(StoreKeys.tip, newTip.rawHash.bytes) }
        try shareCount.withLock { (count: inout UInt64) throws(ShareStoreError) in
            let isNew = try ShareStoreError.wrap { () throws(LevelDBError) in try database.get(summaryKey) == nil }
            if isNew { batch.put(StoreKeys.count, LittleEndian.bytes(count + 1)) }
            try write(batch)
            if isNew { count += 1 }
        }
    }

    /// Atomically stores a run of shares and their summaries (and moves the tip to `newTip`
    /// if given) in one write batch: after a crash all of them are present or none is. The
    /// result equals committing them one by one with `newTip` on the last; a share already
    /// stored, or listed twice, is counted once. Used by sync, where one LevelDB write (a
    /// `write(2)` to the log) per run instead of per share is most of the saving.
    public func commit(_ writes: [ShareWrite], newTip: ShareHash?) throws {
        if writes.count == 1 {
            return try commit(writes[0].share, summary: writes[0].summary, newTip: newTip)
        }
        let batch = WriteBatch()
        var summaryKeys: [[UInt8]] = []
        summaryKeys.reserveCapacity(writes.count)
        for w in writes {
            let summaryKey = StoreKeys.summary(height: w.summary.height, hash: w.summary.hash)
            batch.put(StoreKeys.share(w.summary.hash), w.share.serialized)
            batch.put(summaryKey, w.summary.serialized)
            summaryKeys.append(summaryKey)
        }
        if let newTip { batch.put(StoreKeys.tip, newTip.rawHash.bytes) }
        try shareCount.withLock { (count: inout UInt64) throws(ShareStoreError) in
            var added: UInt64 = 0
            var seen = Set<[UInt8]>(minimumCapacity: summaryKeys.count)
            for key in summaryKeys where seen.insert(key).inserted {
                let isNew = try ShareStoreError.wrap { () throws(LevelDBError) in try database.get(key) == nil }
                if isNew { added += 1 }
            }
            if added > 0 { batch.put(StoreKeys.count, LittleEndian.bytes(count + added)) }
            try write(batch)
            count += added
        }
    }

    /// Moves the best tip (one put, atomic). The store does not check that the share exists.
    public func setBestTip(_ tip: ShareHash) throws {
        try ShareStoreError.wrap { () throws(LevelDBError) in
            try database.put(StoreKeys.tip, tip.rawHash.bytes, sync: configuration.syncWrites)
        }
    }

    /// The best tip last recorded, or nil for a store without one.
    public func bestTip() throws -> ShareHash? {
        guard let bytes = try ShareStoreError.wrap({ () throws(LevelDBError) in try database.get(StoreKeys.tip) })
        else { return nil }
        guard let hash = Hash256(bytes: bytes), bytes.count == 32 else {
            throw ShareStoreError.corruptRecord(key: StoreKeys.describe(StoreKeys.tip),
                                                reason: "tip has \(bytes.count) bytes, expected 32")
        }
        return ShareHash(rawHash: hash)
    }

    /// The stored share with hash `hash`, or nil.
    /// - Throws: ``ShareStoreError/corruptRecord(key:reason:)`` if its bytes do not decode.
    public func share(_ hash: ShareHash) throws -> WireShare? {
        let key = StoreKeys.share(hash)
        guard let bytes = try ShareStoreError.wrap({ () throws(LevelDBError) in try database.get(key) })
        else { return nil }
        do {
            return try WireShare(serialized: bytes)
        } catch {
            throw ShareStoreError.corruptRecord(key: StoreKeys.describe(key), reason: "WireShare: \(error)")
        }
    }

    /// The number of stored shares (the counter kept in every batch).
    public func count() -> Int {
        shareCount.withLock { Int($0) }
    }

    /// Writes `batch` with the configured durability.
    func write(_ batch: WriteBatch) throws(ShareStoreError) {
        try ShareStoreError.wrap { () throws(LevelDBError) in
            try database.write(batch, sync: configuration.syncWrites)
        }
    }
}
