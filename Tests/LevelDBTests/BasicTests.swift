import LevelDB
import Testing

@Suite struct BasicTests {
    @Test func putGetDelete() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open()
        #expect(try db.get(b("missing")) == nil)
        try db.put(b("alpha"), b("one"))
        #expect(try db.get(b("alpha")) == b("one"))
        try db.put(b("alpha"), b("two"))
        #expect(try db.get(b("alpha")) == b("two"))
        try db.delete(b("alpha"))
        #expect(try db.get(b("alpha")) == nil)
        try db.delete(b("never-there"))
    }

    @Test func emptyKeysAndValues() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open()
        try db.put([], b("empty key"))
        try db.put(b("empty value"), [])
        #expect(try db.get([]) == b("empty key"))
        #expect(try db.get(b("empty value")) == [])
        let batch = WriteBatch()
        batch.put([], [])
        try db.write(batch, sync: false)
        #expect(try db.get([]) == [])
        var keys: [[UInt8]] = []
        try db.forEach(prefix: []) { key, _ in keys.append(key) }
        #expect(keys == [[], b("empty value")])
        try db.delete([])
        #expect(try db.get([]) == nil)
    }

    @Test func largeValues() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let big = (0..<(9 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        do {
            let db = try directory.open(.init(writeBufferSize: 1 << 20))
            try db.put(b("big"), big)
            #expect(try db.get(b("big")) == big)
            let key = [UInt8](repeating: 0xAB, count: 100_000)
            try db.put(key, b("long key"))
            #expect(try db.get(key) == b("long key"))
        }
        let reopened = try directory.open()
        #expect(try reopened.get(b("big")) == big)
    }

    @Test func binaryKeysWithZeroBytes() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open()
        try db.put([0, 0, 1], [0, 255, 0])
        try db.put([0, 0], [7])
        #expect(try db.get([0, 0, 1]) == [0, 255, 0])
        #expect(try db.get([0, 0]) == [7])
        #expect(try db.get([0]) == nil)
    }

    @Test func reopenKeepsData() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        do {
            let db = try directory.open()
            for i in 0..<1000 { try db.put(b("key\(i)"), b("value\(i)")) }
            try db.delete(b("key500"))
        }
        let db = try directory.open()
        #expect(try db.get(b("key0")) == b("value0"))
        #expect(try db.get(b("key999")) == b("value999"))
        #expect(try db.get(b("key500")) == nil)
    }

    @Test func syncWrites() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        do {
            let db = try directory.open()
            try db.put(b("synced"), b("yes"), sync: true)
            let batch = WriteBatch()
            batch.put(b("batch"), b("synced"))
            try db.write(batch, sync: true)
            try db.delete(b("synced"), sync: true)
        }
        let db = try directory.open()
        #expect(try db.get(b("synced")) == nil)
        #expect(try db.get(b("batch")) == b("synced"))
    }

    @Test func secondOpenOfTheSameDirectoryIsLocked() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let first = try directory.open()
        let error = #expect(throws: LevelDBError.self) { try directory.open() }
        #expect(error?.kind == .locked)
        #expect(error?.message.contains("LOCK") == true)
        #expect(error?.description.hasPrefix("database is locked by another process") == true)
        try first.put(b("still"), b("usable"))
        #expect(try first.get(b("still")) == b("usable"))
    }

    @Test func lockIsReleasedWhenTheHandleGoesAway() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        do { _ = try directory.open() }
        _ = try directory.open()
    }

    @Test func openingAMissingDatabaseWithoutCreateFails() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let error = #expect(throws: LevelDBError.self) { try directory.open(.init(createIfMissing: false)) }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.message.contains("does not exist") == true)
    }

    @Test func errorIfExists() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        do { _ = try directory.open() }
        let error = #expect(throws: LevelDBError.self) { try directory.open(.init(errorIfExists: true)) }
        #expect(error?.kind == .invalidArgument)
    }

    @Test func optionsWithoutCacheOrFilter() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open(.init(paranoidChecks: false, blockCacheCapacity: nil,
                                          bloomFilterBitsPerKey: nil, compression: false, maxOpenFiles: 64))
        try db.put(b("k"), b("v"))
        #expect(try db.get(b("k")) == b("v"))
    }

    @Test func compactRangeKeepsData() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open(.init(writeBufferSize: 64 << 10))
        for i in 0..<5000 { try db.put(b("k" + padded(i, 5)), [UInt8](repeating: UInt8(i % 251), count: 100)) }
        for i in stride(from: 0, to: 5000, by: 2) { try db.delete(b("k" + padded(i, 5))) }
        db.compactRange(start: b("k01000"), end: b("k02000"))
        db.compactRange()
        #expect(try db.get(b("k00000")) == nil)
        #expect(try db.get(b("k04999")) == [UInt8](repeating: UInt8(4999 % 251), count: 100))
        #expect(db.property("leveldb.stats") != nil)
        #expect(db.property("no.such.property") == nil)
    }

    @Test func errorMessagesAreClassified() {
        #expect(LevelDBError(message: "IO error: lock /d/LOCK: Resource temporarily unavailable").kind == .locked)
        #expect(LevelDBError(message: "IO error: lock /d/LOCK: already held by process").kind == .locked)
        #expect(LevelDBError(message: "IO error: /d/000005.ldb: No space left on device").kind == .ioError)
        #expect(LevelDBError(message: "Corruption: checksum mismatch").kind == .corruption)
        #expect(LevelDBError(message: "NotFound: x").kind == .notFound)
        #expect(LevelDBError(message: "Not implemented: x").kind == .notSupported)
        #expect(LevelDBError(message: "something else").kind == .other)
    }
}
