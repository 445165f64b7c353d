import LevelDB

/// The peer address book, kept in the share store's LevelDB under `'p' ‖ "host:port"`
/// (one database, one lock file, one backup unit). Single puts and deletes are atomic;
/// ``ban(host:port:until:)`` and ``unban(host:port:)`` read-modify-write under a lock.
public final class PeerAddressBook: Sendable {
    let database: LevelDB
    let syncWrites: Bool
    private let lock = Locked(())

    init(database: LevelDB, syncWrites: Bool) {
        self.database = database
        self.syncWrites = syncWrites
    }

    /// Stores `entry`, replacing any entry with the same host and port.
    /// - Throws: ``ShareStoreError/invalidPeerHost(_:)`` for an empty or over-long host.
    public func upsert(_ entry: PeerAddressEntry) throws(ShareStoreError) {
        let size = entry.host.utf8.count
        guard size > 0, size <= PeerAddressEntry.maxHostBytes else { throw .invalidPeerHost(entry.host) }
        try lock.withLock { (_: inout ()) throws(ShareStoreError) in try put(entry) }
    }

    /// Removes the entry for `host:port`; removing an absent entry is not an error.
    public func remove(host: String, port: UInt16) throws(ShareStoreError) {
        try lock.withLock { (_: inout ()) throws(ShareStoreError) in
            try ShareStoreError.wrap { () throws(LevelDBError) in
                try database.delete(StoreKeys.peer(host: host, port: port), sync: syncWrites)
            }
        }
    }

    /// The entry for `host:port`, or nil.
    public func entry(host: String, port: UInt16) throws(ShareStoreError) -> PeerAddressEntry? {
        let key = StoreKeys.peer(host: host, port: port)
        guard let bytes = try ShareStoreError.wrap({ () throws(LevelDBError) in try database.get(key) })
        else { return nil }
        return try Self.decode(key: key, bytes)
    }

    /// Every entry, ordered by `host:port` text.
    public func all() throws(ShareStoreError) -> [PeerAddressEntry] {
        var entries: [PeerAddressEntry] = []
        do {
            try database.forEach(prefix: [StoreKeys.peerTag]) { key, value in
                entries.append(try Self.decode(key: key, value))
            }
        } catch let error as ShareStoreError {
            throw error
        } catch let error as LevelDBError {
            throw .database(error)
        } catch {
            throw .corruptRecord(key: "p", reason: "\(error)")
        }
        return entries
    }

    /// Bans `host:port` until unix time `until`, creating the entry if it is unknown.
    public func ban(host: String, port: UInt16, until: Int64) throws(ShareStoreError) {
        try lock.withLock { (_: inout ()) throws(ShareStoreError) in
            var entry = try entry(host: host, port: port) ?? PeerAddressEntry(host: host, port: port)
            entry.banUntil = until
            try put(entry)
        }
    }

    /// Lifts any ban on `host:port`; does nothing for an unknown peer.
    public func unban(host: String, port: UInt16) throws(ShareStoreError) {
        try lock.withLock { (_: inout ()) throws(ShareStoreError) in
            guard var entry = try entry(host: host, port: port) else { return }
            entry.banUntil = 0
            try put(entry)
        }
    }

    private func put(_ entry: PeerAddressEntry) throws(ShareStoreError) {
        try ShareStoreError.wrap { () throws(LevelDBError) in
            try database.put(StoreKeys.peer(host: entry.host, port: entry.port), entry.serialized, sync: syncWrites)
        }
    }

    private static func decode(key: [UInt8], _ bytes: [UInt8]) throws(ShareStoreError) -> PeerAddressEntry {
        do {
            return try PeerAddressEntry(serialized: bytes)
        } catch {
            throw .corruptRecord(key: StoreKeys.describe(key), reason: "peer address entry: \(error)")
        }
    }
}
