import LevelDB
import Sharechain
import SharechainStore
import SharechainTestSupport
import Testing

@Suite struct CorruptionTests {
    /// Commits 3 shares, lets `damage` edit the closed database, and reopens the store.
    func damaged(_ damage: (LevelDB, [WireShare]) throws -> Void) throws -> (LevelDBShareStore, [WireShare], TemporaryDirectory) {
        let dir = TemporaryDirectory()
        let shares = SyntheticChain(signs: false).shares(count: 3)
        do { try commitAll(shares, to: try openStore(dir.path)) }
        do { try damage(try LevelDB(path: dir.path), shares) }
        return (try openStore(dir.path), shares, dir)
    }

    func summaryKey(_ share: WireShare) -> [UInt8] {
        let h = share.header.height
        return [UInt8(ascii: "i"), UInt8(h >> 24), UInt8(h >> 16 & 0xff), UInt8(h >> 8 & 0xff), UInt8(h & 0xff)]
            + share.hash.rawHash.bytes
    }

    @Test func corruptSummaryNamesItsKey() throws {
        var key: [UInt8] = []
        let (store, _, dir) = try damaged { db, shares in
            key = summaryKey(shares[1])
            try db.put(key, [1, 2, 3])
        }
        defer { dir.remove() }
        var visited = 0
        do {
            try store.forEachSummary(progress: { _, _ in }) { _ in visited += 1 }
            Issue.record("no error")
        } catch let error as ShareStoreError {
            guard case .corruptRecord(let named, _) = error else { Issue.record("\(error)"); return }
            #expect(named == key.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined())
            #expect("\(error)".contains("is corrupt"))
        }
        #expect(visited == 1, "the scan stops at the bad record")
    }

    @Test func summaryThatDisagreesWithItsKeyIsCorrupt() throws {
        let (store, _, dir) = try damaged { db, shares in
            try db.put(summaryKey(shares[1]), SyntheticChain.summary(shares[2]).serialized)
        }
        defer { dir.remove() }
        #expect(throws: ShareStoreError.self) { try allSummaries(store) }
    }

    @Test func corruptShareAndTipAreReported() throws {
        let (store, shares, dir) = try damaged { db, shares in
            try db.put([UInt8(ascii: "s")] + shares[0].hash.rawHash.bytes, Array(shares[0].serialized.dropLast()))
            try db.put([UInt8(ascii: "t")], [0xab])
        }
        defer { dir.remove() }
        #expect(throws: ShareStoreError.self) { try store.share(shares[0].hash) }
        #expect(throws: ShareStoreError.corruptRecord(key: "74", reason: "tip has 1 bytes, expected 32")) {
            try store.bestTip()
        }
        #expect(try store.share(shares[1].hash) == shares[1])
    }
}
