internal import CLevelDB

/// A list of puts and deletes that ``LevelDB/write(_:sync:)`` applies atomically.
///
/// Not thread-safe: a batch wraps a mutable `leveldb_writebatch_t` without a lock, so build
/// and write it from one task at a time (the type is deliberately not `Sendable`). A batch
/// can be written several times and reused after ``clear()``.
public final class WriteBatch {
    let handle: OpaquePointer

    /// The number of operations added since creation or the last ``clear()``.
    public private(set) var count = 0

    /// An empty batch.
    public init() {
        handle = leveldb_writebatch_create()!
    }

    deinit {
        leveldb_writebatch_destroy(handle)
    }

    /// Adds "store `value` under `key`".
    public func put(_ key: [UInt8], _ value: [UInt8]) {
        CBridge.withBytes(key) { k, kl in
            CBridge.withBytes(value) { v, vl in leveldb_writebatch_put(handle, k, kl, v, vl) }
        }
        count += 1
    }

    /// Adds "remove `key`".
    public func delete(_ key: [UInt8]) {
        CBridge.withBytes(key) { k, kl in leveldb_writebatch_delete(handle, k, kl) }
        count += 1
    }

    /// Appends every operation of `other` after this batch's own.
    public func append(_ other: WriteBatch) {
        leveldb_writebatch_append(handle, other.handle)
        count += other.count
    }

    /// Removes every operation.
    public func clear() {
        leveldb_writebatch_clear(handle)
        count = 0
    }
}

@available(*, unavailable, message: "a WriteBatch is not thread-safe")
extension WriteBatch: Sendable {}
