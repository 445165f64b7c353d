import LevelDB
import Sharechain

extension LevelDBShareStore {
    /// Calls `body` with every stored summary in ascending (height, hash) order, hashes
    /// compared bytewise in internal byte order: parents before children. `progress` gets
    /// (done, total) every ``progressInterval`` records and once at the end; total is the
    /// stored share counter read when the scan starts (never less than done). Reads only
    /// the small `'i'` records, from a snapshot taken when the scan starts.
    /// - Throws: ``ShareStoreError/corruptRecord(key:reason:)`` naming the first bad
    ///   record, or whatever `body` throws (which ends the scan).
    public func forEachSummary(progress: (Int, Int) -> Void, _ body: (ShareSummary) throws -> Void) throws {
        let total = count()
        var done = 0
        logger.info("replaying share summaries", metadata: ["shares": "\(total)"])
        try database.forEach(prefix: [StoreKeys.summaryTag]) { key, value in
            try body(try Self.decodeSummary(key: key, value: value))
            done += 1
            if done % Self.progressInterval == 0 { progress(done, max(total, done)) }
        }
        progress(done, max(total, done))
        logger.info("replayed share summaries", metadata: ["shares": "\(done)"])
    }

    /// Decodes an `'i'` record and checks it against its key.
    static func decodeSummary(key: [UInt8], value: [UInt8]) throws(ShareStoreError) -> ShareSummary {
        guard key.count == 37 else {
            throw .corruptRecord(key: StoreKeys.describe(key), reason: "summary key is \(key.count) bytes, expected 37")
        }
        let summary: ShareSummary
        do {
            summary = try ShareSummary.decodeRecord(value) ?? ShareSummary(serialized: value)
        } catch {
            throw .corruptRecord(key: StoreKeys.describe(key), reason: "ShareSummary: \(error)")
        }
        // The value starts with the hash; compare bytes rather than building a Hash256.
        let height = UInt32(key[1]) << 24 | UInt32(key[2]) << 16 | UInt32(key[3]) << 8 | UInt32(key[4])
        guard summary.height == height, key[5...].elementsEqual(value[..<32]) else {
            throw .corruptRecord(key: StoreKeys.describe(key),
                                 reason: "summary of share \(summary.hash) at height \(summary.height) "
                                     + "does not match its key")
        }
        return summary
    }

    /// Deletes the share and summary of every share below `height`, in write batches of
    /// at most ``pruneBatchShares`` shares (each batch also updates the counter, so a crash
    /// mid-prune leaves whole shares only). The best tip record is not touched. The store's
    /// lock is held for one batch at a time, so commits interleave with a long prune.
    /// Returns the number of shares deleted.
    public func prune(belowHeight height: UInt32) throws -> Int {
        try prune(belowHeight: height, state: nil)
    }

    /// Writes `state` (record `'r'`) in the first batch, then deletes every share below its
    /// root's height as ``prune(belowHeight:)`` does: a crash at any instant leaves either the
    /// old state and every share, or the new state and whole shares (replay skips those left
    /// below the root, and the next prune deletes them).
    public func prune(to state: PruneState) throws -> Int {
        try prune(belowHeight: state.root.height, state: state)
    }

    /// The state the last prune recorded, or nil for a store never pruned.
    /// - Throws: ``ShareStoreError/corruptRecord(key:reason:)`` if the record does not decode.
    public func pruneState() throws -> PruneState? {
        guard let bytes = try ShareStoreError.wrap({ () throws(LevelDBError) in try database.get(StoreKeys.pruneState) })
        else { return nil }
        do { return try PruneState(serialized: bytes) } catch {
            throw ShareStoreError.corruptRecord(key: StoreKeys.describe(StoreKeys.pruneState), reason: "PruneState: \(error)")
        }
    }

    private func prune(belowHeight height: UInt32, state: PruneState?) throws -> Int {
        let end = StoreKeys.summaryPrefix(height: height)
        var start = [StoreKeys.summaryTag]
        var pendingState = state
        var removed = 0
        while true {
            // One batch under the lock; a fresh cursor per batch starts after the last key.
            let (done, last) = try shareCount.withLock { (count: inout UInt64) throws(ShareStoreError) -> (Int, [UInt8]?) in
                let cursor = database.makeCursor()
                cursor.seek(start)
                let batch = WriteBatch()
                var pending = 0
                var last: [UInt8]?
                while cursor.isValid, pending < Self.pruneBatchShares {
                    let key = cursor.key
                    guard key.lexicographicallyPrecedes(end) else { break }
                    guard let (_, hash) = StoreKeys.parseSummary(key) else {
                        throw .corruptRecord(key: StoreKeys.describe(key),
                                             reason: "summary key is \(key.count) bytes, expected 37")
                    }
                    batch.delete(key)
                    batch.delete(StoreKeys.share(hash))
                    pending += 1
                    last = key
                    cursor.next()
                }
                try ShareStoreError.wrap { () throws(LevelDBError) in try cursor.checkError() }
                if let s = pendingState { batch.put(StoreKeys.pruneState, s.serialized) }
                guard pending > 0 || pendingState != nil else { return (0, nil) }
                let remaining = count - UInt64(min(UInt64(pending), count))
                batch.put(StoreKeys.count, LittleEndian.bytes(remaining))
                try write(batch)
                count = remaining
                return (pending, last)
            }
            pendingState = nil
            removed += done
            guard let last, done == Self.pruneBatchShares else { break }
            start = last + [0]
        }
        logger.info("pruned shares", metadata: ["below height": "\(height)", "removed": "\(removed)"])
        return removed
    }
}
