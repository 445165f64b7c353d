import Foundation
import LevelDB
import TidepoolTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kills a writer process with SIGKILL mid-stream, reopens its database, and checks that
/// every batch is all-or-nothing and that the counter names the last batch present.
///
/// The writer is the `leveldb-crash-writer` executable (Sources/leveldb-crash-writer),
/// started as a separate process with `Process` (posix_spawn). A separate process, rather
/// than `fork()` of this multithreaded test process, is the only way leveldb's background
/// thread and locks are in a sane state in the writer; the executable is found next to the
/// test binary in the build products directory.
@Suite struct CrashSafetyTests {
    static let window: UInt64 = 64

    /// Must match `key(_:_:)` in Sources/leveldb-crash-writer/main.swift.
    static func key(_ n: UInt64, _ side: String) -> [UInt8] { b("k/" + padded(n, 16) + "/" + side) }

    /// Must match `value(_:)` in Sources/leveldb-crash-writer/main.swift.
    static func value(_ n: UInt64) -> [UInt8] {
        let fillerLength = n % 97 == 0 ? 100_000 : Int((n &* 7919) % 3000)
        return (0..<8).map { UInt8(truncatingIfNeeded: n >> (56 - 8 * $0)) }
            + [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: fillerLength)
    }

    static func writerPath() throws -> String {
        if let path = helperExecutable(named: "leveldb-crash-writer", environment: "LEVELDB_CRASH_WRITER") { return path }
        Issue.record("leveldb-crash-writer not found near the test bundle; run `swift build --build-tests` first")
        throw CancellationError()
    }

    /// Starts the writer on `path`, waits for its first batch (if `waitForReady`), lets it run
    /// `milliseconds`, then SIGKILLs it.
    static func runAndKill(writer: String, path: String, waitForReady: Bool, milliseconds: UInt32) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: writer)
        process.arguments = [path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        if waitForReady {
            let line = output.fileHandleForReading.availableData
            guard String(decoding: line, as: UTF8.self) == "ready\n" else {
                process.waitUntilExit()
                let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                Issue.record("writer did not start: status \(process.terminationStatus): \(message)")
                throw CancellationError()
            }
        }
        usleep(milliseconds * 1000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)
    }

    /// Checks the all-or-nothing invariant and returns the counter.
    static func verify(path: String) throws -> UInt64 {
        let (counter, problems) = try inspect(path: path)
        for problem in problems { Issue.record(Comment(rawValue: problem)) }
        return counter
    }

    /// The counter and every violation of the all-or-nothing invariant found.
    static func inspect(path: String) throws -> (counter: UInt64, problems: [String]) {
        let db = try LevelDB(path: path)
        var problems: [String] = []
        var counter: UInt64 = 0
        if let stored = try db.get(b("counter")) {
            if stored.count != 8 { problems.append("counter has \(stored.count) bytes") }
            counter = stored.reduce(0) { $0 << 8 | UInt64($1) }
        }
        var found: [[UInt8]: [UInt8]] = [:]
        try db.forEach(prefix: b("k/")) { key, value in found[key] = value }
        let first = counter > window ? counter - window + 1 : 1
        var expected = 0
        if counter > 0 {
            for n in first...counter {
                let value = Self.value(n)
                let sideA = found[key(n, "a")] == value, sideB = found[key(n, "b")] == value
                if !(sideA && sideB) {
                    problems.append("batch \(n) of counter \(counter): side a intact \(sideA), side b intact \(sideB)")
                }
                expected += 2
            }
        }
        if found.count != expected {
            problems.append("\(found.count) keys, expected only the last \(window) complete batches (counter \(counter))")
        }
        return (counter, problems)
    }

    @Test func verifierDetectsAHalfWrittenBatch() throws {
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        do {
            let db = try directory.open()
            try db.put(Self.key(1, "a"), Self.value(1))
            try db.put(Self.key(1, "b"), Self.value(1))
            try db.put(Self.key(2, "a"), Self.value(2))
            try db.put(b("counter"), [0, 0, 0, 0, 0, 0, 0, 2])
        }
        let (counter, problems) = try Self.inspect(path: directory.path)
        #expect(counter == 2)
        #expect(problems.count == 2, "batch 2 lacks side b and the key count is off: \(problems)")
    }

    @Test(.timeLimit(.minutes(2)))
    func killedWriterLeavesOnlyWholeBatches() throws {
        let writer = try Self.writerPath()
        let directory = TemporaryDatabaseDirectory()
        defer { directory.remove() }
        var previous: UInt64 = 0
        // Deterministic pause lengths: a kill right after start (possibly during recovery),
        // then kills at several points of the write stream.
        let rounds: [(waitForReady: Bool, milliseconds: UInt32)] = [
            (true, 7), (true, 40), (false, 3), (true, 120), (true, 13), (true, 300), (false, 25), (true, 75),
        ]
        for round in rounds {
            try Self.runAndKill(writer: writer, path: directory.path,
                                waitForReady: round.waitForReady, milliseconds: round.milliseconds)
            let counter = try Self.verify(path: directory.path)
            #expect(counter >= previous, "no acknowledged progress is lost across a kill")
            if round.waitForReady { #expect(counter > previous, "the writer made progress") }
            previous = counter
        }
        #expect(previous > Self.window, "the writer wrote enough batches to exercise deletes")
    }
}
