import Ed25519
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("tidepool-ed25519-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ contents: [UInt8], mode: mode_t) throws -> String {
        let file = path + "/" + name
        try Data(contents).write(to: URL(fileURLWithPath: file))
        #expect(chmod(file, mode) == 0)
        return file
    }
}

func permissions(of path: String) -> mode_t {
    var info = stat()
    #expect(stat(path, &info) == 0)
    return info.st_mode & 0o7777
}

@Suite struct NodeKeyFileTests {
    @Test func createsOwnerOnlyFileAndReloadsTheSameKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/node.key"

        let created = try NodeKeyFile.loadOrCreate(at: path)
        #expect(permissions(of: path) == 0o600)
        let contents = try #require(FileManager.default.contents(atPath: path))
        #expect(contents.count == 65)
        #expect(contents.last == UInt8(ascii: "\n"))

        let reloaded = try NodeKeyFile.loadOrCreate(at: path)
        #expect(reloaded == created)
        #expect(reloaded.publicKey == created.publicKey)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["node.key"],
                "no temporary file is left behind")
    }

    @Test func loadsAKnownSeed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vector = RFC8032Vector.all[0]
        let withNewline = try directory.write("a.key", Array((vector.seed + "\n").utf8), mode: 0o600)
        let withoutNewline = try directory.write("b.key", Array(vector.seed.uppercased().utf8), mode: 0o400)
        #expect(try NodeKeyFile.loadOrCreate(at: withNewline).publicKey.hex == vector.publicKey)
        #expect(try NodeKeyFile.loadOrCreate(at: withoutNewline).publicKey.hex == vector.publicKey)
    }

    @Test(arguments: [0o644, 0o604, 0o640, 0o666, 0o660, 0o601])
    func groupOrOtherAccessIsRefused(mode: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("node.key", Array((RFC8032Vector.all[1].seed + "\n").utf8),
                                       mode: mode_t(mode))
        let error = #expect(throws: NodeKeyFileError.self) { try NodeKeyFile.loadOrCreate(at: path) }
        #expect(error == .insecurePermissions(path: path, mode: UInt32(mode)))
        #expect(error?.description.contains("chmod 600 '\(path)'") == true)
        #expect(permissions(of: path) == mode_t(mode), "the file is left untouched")
    }

    @Test(arguments: [
        ("", "found 0 bytes"),
        ("abcd\n", "found 5 bytes"),
        (String(repeating: "ab", count: 32) + "\n\n", "found 66 bytes"),
        (String(repeating: "ab", count: 33), "found 66 bytes"),
        (String(repeating: "ab", count: 31) + "g0\n", "not a hex digit"),
        (String(repeating: "ab", count: 31) + " 0\n", "not a hex digit"),
    ])
    func corruptContentsAreReported(contents: String, reason: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("node.key", Array(contents.utf8), mode: 0o600)
        let error = #expect(throws: NodeKeyFileError.self) { try NodeKeyFile.loadOrCreate(at: path) }
        guard case let .corrupt(errorPath, errorReason)? = error else {
            Issue.record("expected .corrupt, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(errorReason.contains(reason))
        #expect(error!.description.contains("is corrupt"))
        #expect(FileManager.default.contents(atPath: path) == Data(contents.utf8), "never overwritten")
    }

    @Test func oversizedFileIsCorrupt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("node.key", [UInt8](repeating: UInt8(ascii: "a"), count: 4096), mode: 0o600)
        #expect(throws: NodeKeyFileError.corrupt(
            path: path, reason: "expected 65 bytes (64 hex digits and a newline), found 4096 bytes")) {
            try NodeKeyFile.loadOrCreate(at: path)
        }
    }

    @Test func directoryIsNotAKeyFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/node.key"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect(chmod(path, 0o700) == 0)
        #expect(throws: NodeKeyFileError.notARegularFile(path: path)) { try NodeKeyFile.loadOrCreate(at: path) }
    }

    @Test func missingDirectoryIsAnIOError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/absent/node.key"
        let error = #expect(throws: NodeKeyFileError.self) { try NodeKeyFile.loadOrCreate(at: path) }
        guard case let .io(_, operation, code)? = error else {
            Issue.record("expected .io, got \(String(describing: error))")
            return
        }
        #expect(operation == "create")
        #expect(code == ENOENT)
        #expect(error!.description.contains("No such file or directory"))
    }

    @Test func concurrentFirstStartsAgreeOnOneKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/node.key"
        let keys = try await withThrowingTaskGroup(of: PublicKey.self) { group in
            for _ in 0..<8 { group.addTask { try NodeKeyFile.loadOrCreate(at: path).publicKey } }
            return try await group.reduce(into: Set<PublicKey>()) { $0.insert($1) }
        }
        #expect(keys.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["node.key"])
    }
}
