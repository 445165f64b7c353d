import LevelDB
import Testing

@Suite struct WriteBatchTests {
    @Test func batchWritesAreAllVisibleAfterWrite() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open()
        try db.put(b("doomed"), b("x"))
        let batch = WriteBatch()
        for i in 0..<100 { batch.put(b("item" + padded(i, 3)), b("v\(i)")) }
        batch.delete(b("doomed"))
        #expect(batch.count == 101)
        #expect(try db.get(b("item000")) == nil, "nothing is written before write(_:sync:)")
        try db.write(batch, sync: false)
        for i in 0..<100 { #expect(try db.get(b("item" + padded(i, 3))) == b("v\(i)")) }
        #expect(try db.get(b("doomed")) == nil)
    }

    @Test func laterOperationsInABatchWin() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open()
        let batch = WriteBatch()
        batch.put(b("k"), b("first"))
        batch.put(b("k"), b("second"))
        batch.put(b("gone"), b("x"))
        batch.delete(b("gone"))
        try db.write(batch, sync: false)
        #expect(try db.get(b("k")) == b("second"))
        #expect(try db.get(b("gone")) == nil)
    }

    @Test func cursorSnapshotSeesABatchWhollyOrNotAtAll() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open()
        let before = db.makeCursor()
        let batch = WriteBatch()
        batch.put(b("a"), b("1"))
        batch.put(b("b"), b("2"))
        try db.write(batch, sync: false)
        before.seekToFirst()
        #expect(!before.isValid, "a cursor made before the write sees none of it")
        let after = db.makeCursor()
        after.seekToFirst()
        #expect(after.isValid && after.key == b("a"))
        after.next()
        #expect(after.isValid && after.key == b("b"))
    }

    @Test func clearAndAppend() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open()
        let batch = WriteBatch()
        batch.put(b("cleared"), b("x"))
        batch.clear()
        #expect(batch.count == 0)
        batch.put(b("kept"), b("1"))
        let other = WriteBatch()
        other.put(b("appended"), b("2"))
        other.delete(b("kept"))
        batch.append(other)
        #expect(batch.count == 3)
        try db.write(batch, sync: false)
        #expect(try db.get(b("cleared")) == nil)
        #expect(try db.get(b("kept")) == nil)
        #expect(try db.get(b("appended")) == b("2"))
    }

    @Test func batchCanBeWrittenTwice() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open()
        let batch = WriteBatch()
        batch.put(b("k"), b("v"))
        try db.write(batch, sync: false)
        try db.delete(b("k"))
        try db.write(batch, sync: true)
        #expect(try db.get(b("k")) == b("v"))
    }

    @Test func concurrentWritersThroughOneHandle() async throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        let db = try directory.open()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for i in 0..<250 {
                        let batch = WriteBatch()
                        batch.put(b("w\(writer)/" + padded(i, 3)), b("\(i)"))
                        try db.write(batch, sync: false)
                    }
                }
            }
            try await group.waitForAll()
        }
        var count = 0
        try db.forEach(prefix: b("w")) { _, _ in count += 1 }
        #expect(count == 1000)
    }
}
