// leveldb-crash-writer DIRECTORY
//
// A test helper for LevelDBTests' crash-safety test, not part of the node. Opens (creating
// if needed) the database in DIRECTORY, reads the last batch number from key "counter",
// and then writes batches forever; the test kills it with SIGKILL at an arbitrary moment.
//
// Batch n (n = 1, 2, ...) puts "k/<n, 16 digits>/a" and ".../b" with the same value, deletes
// both keys of batch n - 64, and sets "counter" to n (8 bytes, big-endian). It prints
// "ready" on standard output after its first batch. The value layout must match
// Tests/LevelDBTests/CrashSafetyTests.swift.
import LevelDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let window: UInt64 = 64

func key(_ n: UInt64, _ side: String) -> [UInt8] {
    let digits = String(n)
    return Array(("k/" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits + "/" + side).utf8)
}

func value(_ n: UInt64) -> [UInt8] {
    let fillerLength = n % 97 == 0 ? 100_000 : Int((n &* 7919) % 3000)
    return bigEndian(n) + [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: fillerLength)
}

func bigEndian(_ n: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: n >> (56 - 8 * $0)) }
}

func fail(_ message: String) -> Never {
    let line = Array("leveldb-crash-writer: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress!, $0.count) }
    exit(1)
}

guard CommandLine.arguments.count == 2 else { fail("usage: leveldb-crash-writer DIRECTORY") }

do {
    let database = try LevelDB(path: CommandLine.arguments[1])
    var counter: UInt64 = 0
    if let stored = try database.get(Array("counter".utf8)) {
        guard stored.count == 8 else { fail("counter has \(stored.count) bytes") }
        counter = stored.reduce(0) { $0 << 8 | UInt64($1) }
    }
    let batch = WriteBatch()
    var announced = false
    while true {
        counter += 1
        batch.clear()
        let v = value(counter)
        batch.put(key(counter, "a"), v)
        batch.put(key(counter, "b"), v)
        if counter > window {
            batch.delete(key(counter - window, "a"))
            batch.delete(key(counter - window, "b"))
        }
        batch.put(Array("counter".utf8), bigEndian(counter))
        try database.write(batch, sync: counter % 256 == 0)
        if !announced {
            let line = Array("ready\n".utf8)
            _ = line.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress!, $0.count) }
            announced = true
        }
    }
} catch {
    fail("\(error)")
}
