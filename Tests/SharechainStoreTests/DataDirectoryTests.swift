import Ed25519
import Foundation
import SharechainStore
import Testing

@Suite struct DataDirectoryTests {
    func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test func createsDirectoryKeyAndMetadata() throws {
        let root = TemporaryDirectory()
        defer { root.remove() }
        let path = root.path + "/nested/data"
        let publicKey: PublicKey
        do {
            let data = try DataDirectory(path: path, now: 1_700_000_000, logger: quietLogger)
            publicKey = data.nodeKey.publicKey
            #expect(data.nodeKeyMetadata == NodeKeyMetadata(publicKey: publicKey, createdAt: 1_700_000_000))
            #expect(try data.store.nodeKeyMetadata() == data.nodeKeyMetadata)
        }
        #expect(try mode(path) == 0o700)
        #expect(try mode(root.path + "/nested") == 0o700)
        #expect(try mode(DataDirectory.nodeKeyPath(in: path)) == 0o600)
        #expect(FileManager.default.fileExists(atPath: DataDirectory.storePath(in: path) + "/CURRENT"))

        // Reopening keeps the key and the original creation time.
        let again = try DataDirectory(path: path, now: 1_800_000_000, logger: quietLogger)
        #expect(again.nodeKey.publicKey == publicKey)
        #expect(again.nodeKeyMetadata.createdAt == 1_700_000_000)
    }

    @Test func replacedKeyIsRecordedAnew() throws {
        let root = TemporaryDirectory()
        defer { root.remove() }
        let first = try DataDirectory(path: root.path, now: 100, logger: quietLogger).nodeKey.publicKey
        try FileManager.default.removeItem(atPath: DataDirectory.nodeKeyPath(in: root.path))
        let data = try DataDirectory(path: root.path, now: 200, logger: quietLogger)
        #expect(data.nodeKey.publicKey != first)
        #expect(data.nodeKeyMetadata == NodeKeyMetadata(publicKey: data.nodeKey.publicKey, createdAt: 200))
    }

    @Test func aFileIsNotADataDirectory() throws {
        let root = TemporaryDirectory()
        defer { root.remove() }
        _ = FileManager.default.createFile(atPath: root.path, contents: Data())
        #expect(throws: ShareStoreError.notADirectory(path: root.path)) {
            try DataDirectory(path: root.path, now: 0, logger: quietLogger)
        }
    }

    @Test func insecureKeyFileIsRefusedWithItsMessage() throws {
        let root = TemporaryDirectory()
        defer { root.remove() }
        do { _ = try DataDirectory(path: root.path, now: 0, logger: quietLogger) }
        chmod(DataDirectory.nodeKeyPath(in: root.path), 0o644)
        do {
            _ = try DataDirectory(path: root.path, now: 0, logger: quietLogger)
            Issue.record("opened with a 0644 key file")
        } catch {
            #expect("\(error)".contains("chmod 600"))
        }
    }
}
