import LevelDB
import Testing

@Suite struct IterationTests {
    /// A database holding keys around the prefixes `a`, `ab`, `ab\u{FF}` and `\u{FF}`.
    static func populated(_ directory: TemporaryDatabaseDirectory) throws -> LevelDB {
        let db = try directory.open()
        let keys: [[UInt8]] = [
            b("a"), b("aa"), b("ab"), b("ab/1"), b("ab/2"), b("ab/10"), b("ab") + [0xFF], b("ab") + [0xFF, 0x01],
            b("ac"), b("b"), [0xFF], [0xFF, 0xFF], [0xFF, 0xFF, 0x00],
        ]
        let batch = WriteBatch()
        for (index, key) in keys.shuffled().enumerated() { batch.put(key, b("v\(index)")) }
        try db.write(batch, sync: false)
        return db
    }

    func keys(_ db: LevelDB, prefix: [UInt8], reverse: Bool = false, limit: Int? = nil) throws -> [[UInt8]] {
        var result: [[UInt8]] = []
        try db.forEach(prefix: prefix, reverse: reverse, limit: limit) { key, _ in result.append(key) }
        return result
    }

    @Test func prefixScanIsAscendingAndBounded() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try Self.populated(directory)
        #expect(try keys(db, prefix: b("ab")) == [
            b("ab"), b("ab/1"), b("ab/10"), b("ab/2"), b("ab") + [0xFF], b("ab") + [0xFF, 0x01],
        ])
        #expect(try keys(db, prefix: b("ab/")) == [b("ab/1"), b("ab/10"), b("ab/2")])
        #expect(try keys(db, prefix: b("ab") + [0xFF]) == [b("ab") + [0xFF], b("ab") + [0xFF, 0x01]])
        #expect(try keys(db, prefix: [0xFF]) == [[0xFF], [0xFF, 0xFF], [0xFF, 0xFF, 0x00]])
        #expect(try keys(db, prefix: [0xFF, 0xFF]) == [[0xFF, 0xFF], [0xFF, 0xFF, 0x00]])
        #expect(try keys(db, prefix: b("zz")).isEmpty)
        #expect(try keys(db, prefix: b("a0")).isEmpty)
        #expect(try keys(db, prefix: []).count == 13)
    }

    @Test func prefixScanInReverse() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try Self.populated(directory)
        #expect(try keys(db, prefix: b("ab/"), reverse: true) == [b("ab/2"), b("ab/10"), b("ab/1")])
        #expect(try keys(db, prefix: b("ab"), reverse: true, limit: 2) == [b("ab") + [0xFF, 0x01], b("ab") + [0xFF]])
        #expect(try keys(db, prefix: [0xFF], reverse: true) == [[0xFF, 0xFF, 0x00], [0xFF, 0xFF], [0xFF]])
        #expect(try keys(db, prefix: b("zz"), reverse: true).isEmpty)
        #expect(try keys(db, prefix: [], reverse: true).first == [0xFF, 0xFF, 0x00])
    }

    @Test func limitStopsEarly() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try Self.populated(directory)
        #expect(try keys(db, prefix: b("a"), limit: 3) == [b("a"), b("aa"), b("ab")])
        #expect(try keys(db, prefix: b("a"), limit: 0).isEmpty)
    }

    @Test func rangeScanIsHalfOpen() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try Self.populated(directory)
        var forward: [[UInt8]] = []
        try db.forEach(from: b("ab/1"), to: b("ab/2")) { key, _ in forward.append(key) }
        #expect(forward == [b("ab/1"), b("ab/10")])
        var backward: [[UInt8]] = []
        try db.forEach(from: b("ab/1"), to: b("ab/2"), reverse: true) { key, _ in backward.append(key) }
        #expect(backward == [b("ab/10"), b("ab/1")])
        var open: [[UInt8]] = []
        try db.forEach(from: nil, to: b("ab")) { key, _ in open.append(key) }
        #expect(open == [b("a"), b("aa")])
        var tail: [[UInt8]] = []
        try db.forEach(from: b("b"), to: nil, reverse: true) { key, _ in tail.append(key) }
        #expect(tail == [[0xFF, 0xFF, 0x00], [0xFF, 0xFF], [0xFF], b("b")])
    }

    @Test func lastAndFirstWithPrefix() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try Self.populated(directory)
        #expect(try db.lastEntry(withPrefix: b("ab/"))?.key == b("ab/2"))
        #expect(try db.firstEntry(withPrefix: b("ab/"))?.key == b("ab/1"))
        #expect(try db.lastEntry(withPrefix: b("ab"))?.key == b("ab") + [0xFF, 0x01])
        #expect(try db.lastEntry(withPrefix: [0xFF, 0xFF])?.key == [0xFF, 0xFF, 0x00])
        #expect(try db.lastEntry(withPrefix: [])?.key == [0xFF, 0xFF, 0x00])
        #expect(try db.lastEntry(withPrefix: b("a0")) == nil)
        #expect(try db.lastEntry(withPrefix: b("zz")) == nil)
        #expect(try db.firstEntry(withPrefix: b("zz")) == nil)
        #expect(try db.firstEntry(withPrefix: b("a0")) == nil)
        let entry = try #require(try db.lastEntry(withPrefix: b("ac")))
        #expect(entry.key == b("ac"))
        #expect(try db.get(b("ac")) == entry.value)
    }

    @Test func valuesTravelWithKeys() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open()
        for i in 0..<50 { try db.put(b("n/" + padded(i, 2)), b("value \(i)")) }
        var i = 0
        try db.forEach(prefix: b("n/")) { key, value in
            #expect(key == b("n/" + padded(i, 2)))
            #expect(value == b("value \(i)"))
            i += 1
        }
        #expect(i == 50)
    }

    @Test func bodyErrorsEndTheScan() throws {
        struct Stop: Error {}
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try Self.populated(directory)
        var seen = 0
        #expect(throws: Stop.self) {
            try db.forEach(prefix: []) { _, _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
    }

    @Test func cursorWalksBothWays() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try Self.populated(directory)
        let cursor = db.makeCursor()
        cursor.seek(b("ab/10"))
        #expect(cursor.key == b("ab/10"))
        cursor.previous()
        #expect(cursor.key == b("ab/1"))
        cursor.seek(b("ab/3"))
        #expect(cursor.key == b("ab") + [0xFF])
        cursor.seekToLast()
        #expect(cursor.key == [0xFF, 0xFF, 0x00])
        cursor.next()
        #expect(!cursor.isValid)
        try cursor.checkError()
        cursor.seekToFirst()
        #expect(cursor.key == b("a"))
        cursor.previous()
        #expect(!cursor.isValid)
    }
}
