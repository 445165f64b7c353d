internal import CLevelDB

/// A position in a consistent, read-only view of a ``LevelDB`` (a leveldb iterator).
///
/// The view is an implicit snapshot taken when the cursor is made: writes made afterwards
/// are not seen. Keys are visited in ascending bytewise order by ``next()`` and descending
/// by ``previous()``. Not thread-safe (not `Sendable`); the cursor keeps its database open.
/// After moving, check ``isValid``; at the end, ``checkError()`` tells a finished scan from
/// one that stopped on an I/O or corruption error.
public final class Cursor {
    private let database: LevelDB
    private let handle: OpaquePointer

    init(database: LevelDB) {
        self.database = database
        handle = leveldb_create_iterator(database.handle, database.readOptions)!
    }

    deinit {
        leveldb_iter_destroy(handle)
    }

    /// Whether the cursor is at an entry (false before the first or after the last).
    public var isValid: Bool { leveldb_iter_valid(handle) != 0 }

    /// Moves to the smallest key.
    public func seekToFirst() { leveldb_iter_seek_to_first(handle) }

    /// Moves to the largest key.
    public func seekToLast() { leveldb_iter_seek_to_last(handle) }

    /// Moves to the smallest key greater than or equal to `target`.
    public func seek(_ target: [UInt8]) {
        CBridge.withBytes(target) { leveldb_iter_seek(handle, $0, $1) }
    }

    /// Moves to the next larger key. Requires ``isValid``.
    public func next() {
        precondition(isValid, "Cursor.next() on an invalid cursor")
        leveldb_iter_next(handle)
    }

    /// Moves to the next smaller key. Requires ``isValid``.
    public func previous() {
        precondition(isValid, "Cursor.previous() on an invalid cursor")
        leveldb_iter_prev(handle)
    }

    /// The current key. Requires ``isValid``.
    public var key: [UInt8] {
        precondition(isValid, "Cursor.key on an invalid cursor")
        var length = 0
        let pointer = leveldb_iter_key(handle, &length)
        return CBridge.copy(pointer, length)
    }

    /// The current value. Requires ``isValid``.
    public var value: [UInt8] {
        precondition(isValid, "Cursor.value on an invalid cursor")
        var length = 0
        let pointer = leveldb_iter_value(handle, &length)
        return CBridge.copy(pointer, length)
    }

    /// Throws the error that made the cursor invalid, if any.
    public func checkError() throws(LevelDBError) {
        try CBridge.call { error in leveldb_iter_get_error(handle, error) }
    }
}

extension LevelDB {
    /// A cursor over a snapshot of the database as it is now, positioned nowhere
    /// (seek before reading).
    public func makeCursor() -> Cursor {
        Cursor(database: self)
    }
}
