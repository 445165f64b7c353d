extension LevelDB {
    /// Calls `body` for each entry whose key is in `start ..< end`, in ascending key order
    /// (descending if `reverse`), stopping after `limit` entries if given.
    ///
    /// `nil` bounds are open. Entries come from a snapshot taken when the scan starts.
    /// - Throws: an error `body` throws (which ends the scan), or ``LevelDBError``.
    public func forEach(from start: [UInt8]?, to end: [UInt8]?, reverse: Bool = false, limit: Int? = nil,
                        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Void) throws {
        let cursor = makeCursor()
        var remaining = limit ?? Int.max
        if reverse {
            Self.seekBelow(end, cursor)
        } else if let start {
            cursor.seek(start)
        } else {
            cursor.seekToFirst()
        }
        while remaining > 0, cursor.isValid {
            let key = cursor.key
            if reverse {
                if let start, key.lexicographicallyPrecedes(start) { break }
            } else {
                if let end, !key.lexicographicallyPrecedes(end) { break }
            }
            try body(key, cursor.value)
            remaining -= 1
            if reverse { cursor.previous() } else { cursor.next() }
        }
        try cursor.checkError()
    }

    /// Calls `body` for each entry whose key starts with `prefix`, in ascending key order
    /// (descending if `reverse`), stopping after `limit` entries if given.
    /// An empty prefix visits every entry.
    /// - Throws: an error `body` throws (which ends the scan), or ``LevelDBError``.
    public func forEach(prefix: [UInt8], reverse: Bool = false, limit: Int? = nil,
                        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Void) throws {
        try forEach(from: prefix, to: Self.successor(of: prefix), reverse: reverse, limit: limit, body)
    }

    /// The entry with the largest key starting with `prefix`, or `nil` if there is none.
    public func lastEntry(withPrefix prefix: [UInt8]) throws(LevelDBError) -> (key: [UInt8], value: [UInt8])? {
        let cursor = makeCursor()
        Self.seekBelow(Self.successor(of: prefix), cursor)
        return try Self.entry(at: cursor, withPrefix: prefix)
    }

    /// The entry with the smallest key starting with `prefix`, or `nil` if there is none.
    public func firstEntry(withPrefix prefix: [UInt8]) throws(LevelDBError) -> (key: [UInt8], value: [UInt8])? {
        let cursor = makeCursor()
        cursor.seek(prefix)
        return try Self.entry(at: cursor, withPrefix: prefix)
    }

    /// The cursor's entry if it is valid and its key starts with `prefix`; nil otherwise
    /// (after checking the cursor for an error).
    private static func entry(at cursor: Cursor, withPrefix prefix: [UInt8]) throws(LevelDBError)
        -> (key: [UInt8], value: [UInt8])? {
        guard cursor.isValid else {
            try cursor.checkError()
            return nil
        }
        let key = cursor.key
        guard key.starts(with: prefix) else { return nil }
        return (key, cursor.value)
    }

    /// The smallest key greater than every key that starts with `prefix`, or `nil` when no
    /// such key exists (the prefix is empty or all `0xFF`).
    static func successor(of prefix: [UInt8]) -> [UInt8]? {
        guard let last = prefix.lastIndex(where: { $0 != 0xFF }) else { return nil }
        var bound = Array(prefix[...last])
        bound[last] += 1
        return bound
    }

    /// Positions `cursor` at the largest key below `end` (at the last key if `end` is `nil`).
    private static func seekBelow(_ end: [UInt8]?, _ cursor: Cursor) {
        guard let end else { return cursor.seekToLast() }
        cursor.seek(end)
        if cursor.isValid { cursor.previous() } else { cursor.seekToLast() }
    }
}
