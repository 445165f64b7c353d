import BitcoinPrimitives
import LevelDB
import Sharechain

/// The blocks this node found, kept in the share store's LevelDB under
/// `'b' ‖ found_at u64 BE ‖ block hash [32]` → ``FoundBlockRecord`` (Docs/STORAGE.md),
/// so that they list newest first and every one stays auditable after a restart.
/// Each put is atomic; a record is written when the block is found (verdict
/// `pending`) and rewritten once bitcoind answers.
public final class FoundBlockBook: FoundBlockStore {
    let database: LevelDB
    let syncWrites: Bool

    /// Most records one listing returns.
    public static let maximumListing = 10_000

    init(database: LevelDB, syncWrites: Bool) {
        self.database = database
        self.syncWrites = syncWrites
    }

    static let tag = UInt8(ascii: "b")

    static func key(foundAt: UInt64, hash: BlockHash) -> [UInt8] {
        var writer = ByteWriter(capacity: 41)
        writer.write(tag)
        writer.writeBigEndian(foundAt)
        writer.write(hash.rawHash)
        return writer.bytes
    }

    public func recordFoundBlock(_ record: FoundBlockRecord) throws {
        let key = Self.key(foundAt: record.foundAt, hash: record.blockHash)
        try ShareStoreError.wrap { () throws(LevelDBError) in
            try database.put(key, record.serialized, sync: syncWrites)
        }
    }

    public func foundBlocks(limit: Int) throws -> [FoundBlockRecord] {
        var records: [FoundBlockRecord] = []
        try scan(limit: max(0, min(limit, Self.maximumListing))) { records.append($0); return true }
        return records
    }

    public func foundBlock(_ hash: BlockHash) throws -> FoundBlockRecord? {
        var found: FoundBlockRecord?
        try scan(limit: nil) { record in
            if record.blockHash == hash { found = record; return false }
            return true
        }
        return found
    }

    /// Newest first; `body` returns false to stop.
    private func scan(limit: Int?, _ body: (FoundBlockRecord) -> Bool) throws {
        struct Stop: Error {}
        do {
            try database.forEach(prefix: [Self.tag], reverse: true, limit: limit) { key, value in
                let record: FoundBlockRecord
                do { record = try FoundBlockRecord(serialized: value) } catch {
                    throw ShareStoreError.corruptRecord(key: StoreKeys.describe(key), reason: "found block: \(error)")
                }
                if !body(record) { throw Stop() }
            }
        } catch is Stop {
            return
        } catch let error as LevelDBError {
            throw ShareStoreError.database(error)
        }
    }
}
