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
            summary = try ShareSummary(serialized: value)
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
    /// mid-prune leaves whole shares only). The best tip record is not touched. Commits
    /// wait while a prune runs. Returns the number of shares deleted.
    public func prune(belowHeight height: UInt32) throws -> Int {
        guard height > 0 else { return 0 }
        let end = StoreKeys.summaryPrefix(height: height)
        let removed = try shareCount.withLock { (count: inout UInt64) throws(ShareStoreError) -> Int in
            let cursor = database.makeCursor()
            cursor.seek([StoreKeys.summaryTag])
            let batch = WriteBatch()
            var removed = 0, pending = 0
            func flush(_ count: inout UInt64) throws(ShareStoreError) {
                guard pending > 0 else { return }
                let remaining = count - UInt64(min(UInt64(pending), count))
                batch.put(StoreKeys.count, LittleEndian.bytes(remaining))
                try write(batch)
                count = remaining
                batch.clear()
                pending = 0
            }
            while cursor.isValid {
                let key = cursor.key
                guard key.lexicographicallyPrecedes(end) else { break }
                guard let (_, hash) = StoreKeys.parseSummary(key) else {
                    throw .corruptRecord(key: StoreKeys.describe(key),
                                         reason: "summary key is \(key.count) bytes, expected 37")
                }
                batch.delete(key)
                batch.delete(StoreKeys.share(hash))
                removed += 1
                pending += 1
                if pending == Self.pruneBatchShares { try flush(&count) }
                cursor.next()
            }
            try ShareStoreError.wrap { () throws(LevelDBError) in try cursor.checkError() }
            try flush(&count)
            return removed
        }
        logger.info("pruned shares", metadata: ["below height": "\(height)", "removed": "\(removed)"])
        return removed
    }
}
