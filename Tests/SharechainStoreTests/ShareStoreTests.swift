import BitcoinPrimitives
import Ed25519
import LevelDB
import Sharechain
import SharechainStore
import SharechainTestSupport
import Testing

@Suite struct ShareStoreTests {
    @Test func commitAndReadBack() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try openStore(dir.path)
        #expect(store.count() == 0)
        #expect(try store.bestTip() == nil)
        let shares = signedChain.shares(count: 3)
        #expect(shares[0].header.nodeKey.isValidSignature(shares[0].signature, for: shares[0].header.signingMessage))
        try commitAll(shares, to: store)
        #expect(store.count() == 3)
        for share in shares { #expect(try store.share(share.hash) == share) }
        #expect(try store.share(ShareHash(rawHash: SHA256d.hash([1]))) == nil)
        #expect(try allSummaries(store) == shares.map(SyntheticChain.summary))
        // Recommitting a stored share does not count it twice.
        try store.commit(shares[1], summary: SyntheticChain.summary(shares[1]), newTip: nil)
        #expect(store.count() == 3)
    }

    @Test func tipMovesWithCommits() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try openStore(dir.path)
        let shares = signedChain.shares(count: 3)
        try store.commit(shares[0], summary: SyntheticChain.summary(shares[0]), newTip: shares[0].hash)
        #expect(try store.bestTip() == shares[0].hash)
        try store.commit(shares[1], summary: SyntheticChain.summary(shares[1]), newTip: nil)
        #expect(try store.bestTip() == shares[0].hash, "a commit without newTip leaves the tip")
        try store.commit(shares[2], summary: SyntheticChain.summary(shares[2]), newTip: shares[2].hash)
        #expect(try store.bestTip() == shares[2].hash)
        try store.setBestTip(shares[1].hash)
        #expect(try store.bestTip() == shares[1].hash)
    }

    @Test(arguments: [false, true])
    func reopenPersists(sync: Bool) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let shares = signedChain.shares(count: 20)
        do {
            let store = try openStore(dir.path, sync: sync)
            try commitAll(shares, to: store)
        }
        let store = try openStore(dir.path)
        #expect(store.count() == 20)
        #expect(try store.bestTip() == shares.last!.hash)
        #expect(try store.share(shares[7].hash) == shares[7])
        #expect(try allSummaries(store).count == 20)
    }

    @Test func secondOpenIsRefusedWhileOpen() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try openStore(dir.path)
        #expect(throws: ShareStoreError.self) { try openStore(dir.path) }
        #expect(store.count() == 0)
    }

    @Test func schemaVersionIsChecked() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do { _ = try openStore(dir.path) }
        do {
            let db = try LevelDB(path: dir.path)
            #expect(try db.get([0x00] + Array("schema".utf8)) == [1, 0, 0, 0])
            try db.put([0x00] + Array("schema".utf8), [2, 0, 0, 0])
        }
        #expect(throws: ShareStoreError.unsupportedSchemaVersion(path: dir.path, found: 2, supported: 1)) {
            try openStore(dir.path)
        }
        let message = String(describing: ShareStoreError.unsupportedSchemaVersion(path: "x", found: 2, supported: 1))
        #expect(message.contains("schema version 2"))
    }

    @Test func foreignDatabaseIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let db = try LevelDB(path: dir.path)
            try db.put(Array("hello".utf8), [1])
        }
        #expect(throws: ShareStoreError.notAShareStore(path: dir.path)) { try openStore(dir.path) }
    }

    @Test func summariesComeInHeightThenHashOrder() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try openStore(dir.path)
        // Two branches forking after share 1, committed children first.
        let trunk = signedChain.shares(count: 4)
        let fork = SyntheticChain(seed: 9, signs: true).shares(count: 3, after: (trunk[1].hash, 1))
        for share in (trunk + fork).reversed() {
            try store.commit(share, summary: SyntheticChain.summary(share), newTip: nil)
        }
        let summaries = try allSummaries(store)
        #expect(summaries.count == 7)
        let keys = summaries.map { ($0.height, $0.hash.rawHash.bytes) }
        let sorted = keys.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.lexicographicallyPrecedes($1.1) }
        #expect(keys.map(\.0) == sorted.map(\.0))
        #expect(keys.map(\.1) == sorted.map(\.1))
        #expect(Set(keys.map(\.0)) == [0, 1, 2, 3, 4], "ties exist at heights 2 and 3")
        var seen: Set<ShareHash> = [.none]
        for summary in summaries {
            #expect(seen.contains(summary.previousShare), "parent before child")
            seen.insert(summary.hash)
        }
    }

    @Test func progressIsReportedAtTheEnd() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try openStore(dir.path)
        try commitAll(SyntheticChain(signs: false).shares(count: 5), to: store)
        var reports: [[Int]] = []
        try store.forEachSummary(progress: { reports.append([$0, $1]) }) { _ in }
        #expect(reports == [[5, 5]])
    }

    @Test func pruneRemovesExactlyTheSharesBelowTheHeight() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let shares = SyntheticChain(signs: false).shares(count: 30)
        do {
            let store = try openStore(dir.path)
            try commitAll(shares, to: store)
            #expect(try store.prune(belowHeight: 0) == 0)
            #expect(try store.prune(belowHeight: 12) == 12)
            #expect(try store.prune(belowHeight: 12) == 0)
        }
        let store = try openStore(dir.path)
        #expect(store.count() == 18, "the counter is stored with the deletes")
        for share in shares[..<12] { #expect(try store.share(share.hash) == nil) }
        for share in shares[12...] { #expect(try store.share(share.hash) == share) }
        #expect(try allSummaries(store) == shares[12...].map(SyntheticChain.summary))
        #expect(try store.bestTip() == shares.last!.hash)
    }

    @Test func pruneSpansSeveralBatches() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try openStore(dir.path)
        let count = LevelDBShareStore.pruneBatchShares + 500
        try commitAll(SyntheticChain(signs: false).shares(count: count), to: store)
        #expect(try store.prune(belowHeight: UInt32(count - 10)) == count - 10)
        #expect(store.count() == 10)
        #expect(try allSummaries(store).map(\.height) == Array(UInt32(count - 10)..<UInt32(count)))
    }
}
