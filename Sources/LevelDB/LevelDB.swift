internal import CLevelDB

/// An open leveldb database: a sorted, persistent map from byte strings to byte strings,
/// ordered bytewise (`memcmp`, a shorter key before its extensions).
///
/// Thread safety: leveldb documents a `leveldb::DB` (here, the C `leveldb_t`) as safe for
/// concurrent use from many threads without external locking. The option objects this class
/// keeps are written only in `init` and afterwards only read, so sharing one `LevelDB`
/// across tasks is safe; hence `@unchecked Sendable`. ``WriteBatch`` and ``Cursor`` are not.
///
/// Durability: a write with `sync: false` survives the death of this process (the data is
/// in the kernel once the call returns) but not necessarily a power loss or kernel crash;
/// `sync: true` calls `fsync` before returning. A ``WriteBatch`` is applied atomically either
/// way: after a crash it is entirely present or entirely absent.
///
/// The database closes (and releases its `LOCK`) when the last reference goes away; open
/// ``Cursor``s keep it alive.
public final class LevelDB: @unchecked Sendable {
    /// The directory holding the database.
    public let path: String

    let handle: OpaquePointer
    private let options: OpaquePointer
    private let cache: OpaquePointer?
    private let filterPolicy: OpaquePointer?
    let readOptions: OpaquePointer
    private let writeOptions: OpaquePointer
    private let syncWriteOptions: OpaquePointer

    /// Opens (by default creating) the database in directory `path`.
    /// - Throws: ``LevelDBError``; kind ``LevelDBError/Kind/locked`` when another process or
    ///   another handle in this process has the database open.
    public init(path: String, options: Options = Options()) throws(LevelDBError) {
        let rawOptions = leveldb_options_create()!
        let cache = options.blockCacheCapacity.map { leveldb_cache_create_lru($0)! }
        let filterPolicy = options.bloomFilterBitsPerKey.map { leveldb_filterpolicy_create_bloom(Int32($0))! }
        leveldb_options_set_create_if_missing(rawOptions, options.createIfMissing ? 1 : 0)
        leveldb_options_set_error_if_exists(rawOptions, options.errorIfExists ? 1 : 0)
        leveldb_options_set_paranoid_checks(rawOptions, options.paranoidChecks ? 1 : 0)
        leveldb_options_set_write_buffer_size(rawOptions, options.writeBufferSize)
        leveldb_options_set_compression(rawOptions, Int32(options.compression ? 1 : 0))
        if let cache { leveldb_options_set_cache(rawOptions, cache) }
        if let filterPolicy { leveldb_options_set_filter_policy(rawOptions, filterPolicy) }
        if let maxOpenFiles = options.maxOpenFiles { leveldb_options_set_max_open_files(rawOptions, Int32(maxOpenFiles)) }

        let opened: OpaquePointer?
        do {
            opened = try CBridge.call { error in leveldb_open(rawOptions, path, error) }
        } catch {
            leveldb_options_destroy(rawOptions)
            if let cache { leveldb_cache_destroy(cache) }
            if let filterPolicy { leveldb_filterpolicy_destroy(filterPolicy) }
            throw error
        }
        self.path = path
        self.handle = opened!
        self.options = rawOptions
        self.cache = cache
        self.filterPolicy = filterPolicy
        readOptions = leveldb_readoptions_create()!
        leveldb_readoptions_set_verify_checksums(readOptions, options.paranoidChecks ? 1 : 0)
        writeOptions = leveldb_writeoptions_create()!
        syncWriteOptions = leveldb_writeoptions_create()!
        leveldb_writeoptions_set_sync(syncWriteOptions, 1)
    }

    deinit {
        // The database first: it uses the options, cache and filter policy until closed.
        leveldb_close(handle)
        leveldb_readoptions_destroy(readOptions)
        leveldb_writeoptions_destroy(writeOptions)
        leveldb_writeoptions_destroy(syncWriteOptions)
        leveldb_options_destroy(options)
        if let cache { leveldb_cache_destroy(cache) }
        if let filterPolicy { leveldb_filterpolicy_destroy(filterPolicy) }
    }

    /// The value stored under `key`, or `nil` if there is none. An empty stored value is `[]`.
    public func get(_ key: [UInt8]) throws(LevelDBError) -> [UInt8]? {
        var length = 0
        let value = try CBridge.call { error in
            CBridge.withBytes(key) { k, kl in leveldb_get(handle, readOptions, k, kl, &length, error) }
        }
        // leveldb returns a malloc'd copy (NULL when absent). An empty value is malloc(0),
        // which glibc (and macOS libc) return as a unique non-null pointer.
        guard let value else { return nil }
        defer { leveldb_free(value) }
        return CBridge.copy(value, length)
    }

    /// Stores `value` under `key`, replacing any previous value.
    public func put(_ key: [UInt8], _ value: [UInt8], sync: Bool = false) throws(LevelDBError) {
        try CBridge.call { error in
            CBridge.withBytes(key) { k, kl in
                CBridge.withBytes(value) { v, vl in
                    leveldb_put(handle, writeOptions(sync), k, kl, v, vl, error)
                }
            }
        }
    }

    /// Removes `key`; removing an absent key is not an error.
    public func delete(_ key: [UInt8], sync: Bool = false) throws(LevelDBError) {
        try CBridge.call { error in
            CBridge.withBytes(key) { k, kl in leveldb_delete(handle, writeOptions(sync), k, kl, error) }
        }
    }

    /// Applies every operation of `batch` atomically, in the order they were added.
    /// With `sync: true` the log is `fsync`ed before this returns.
    public func write(_ batch: WriteBatch, sync: Bool) throws(LevelDBError) {
        try CBridge.call { error in leveldb_write(handle, writeOptions(sync), batch.handle, error) }
    }

    /// Compacts the table files covering keys in `start...end` (`nil` = unbounded on that side);
    /// `compactRange()` compacts the whole database.
    public func compactRange(start: [UInt8]? = nil, end: [UInt8]? = nil) {
        func with(_ bytes: [UInt8]?, _ body: (UnsafePointer<CChar>?, Int) -> Void) {
            if let bytes { CBridge.withBytes(bytes) { body($0, $1) } } else { body(nil, 0) }
        }
        with(start) { s, sl in with(end) { e, el in leveldb_compact_range(handle, s, sl, e, el) } }
    }

    /// A leveldb property such as `leveldb.stats` or `leveldb.num-files-at-level0`;
    /// `nil` for an unknown name.
    public func property(_ name: String) -> String? {
        guard let value = leveldb_property_value(handle, name) else { return nil }
        defer { leveldb_free(value) }
        return String(cString: value)
    }

    private func writeOptions(_ sync: Bool) -> OpaquePointer {
        sync ? syncWriteOptions : writeOptions
    }
}
