import Ed25519
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The node's data directory:
///
/// ```
/// <dir>/             mode 0700, created if missing
/// <dir>/sharechain/  the LevelDB share store (shares, tip, peers, node key metadata)
/// <dir>/node.key     the Ed25519 seed, mode 0600 (Ed25519.NodeKeyFile)
/// ```
public struct DataDirectory: Sendable {
    /// The directory path as given.
    public let path: String
    /// The open share store at `<path>/sharechain`.
    public let store: LevelDBShareStore
    /// The node's identity, loaded from (or created at) `<path>/node.key`.
    public let nodeKey: SigningKey
    /// The node key metadata recorded in the store.
    public let nodeKeyMetadata: NodeKeyMetadata

    /// The LevelDB directory inside a data directory.
    public static func storePath(in path: String) -> String { path + "/sharechain" }
    /// The node key file inside a data directory.
    public static func nodeKeyPath(in path: String) -> String { path + "/node.key" }

    /// Opens the data directory at `path`, creating it (and missing parents) with mode
    /// 0700, the store, and the node key as needed. On first use, or when the key file was
    /// replaced, records the key's metadata with creation time `now` (unix seconds).
    /// An existing directory readable by group or others is used, with a warning.
    /// - Throws: ``ShareStoreError``.
    public init(path: String, now: Int64, configuration: LevelDBShareStore.Configuration = .init(),
                logger: Logger) throws(ShareStoreError) {
        try Self.makeDirectory(path, logger: logger)
        self.path = path
        store = try LevelDBShareStore(path: Self.storePath(in: path), configuration: configuration, logger: logger)
        do {
            nodeKey = try NodeKeyFile.loadOrCreate(at: Self.nodeKeyPath(in: path))
        } catch {
            throw .nodeKey(error.description)
        }
        if let recorded = try store.nodeKeyMetadata(), recorded.publicKey == nodeKey.publicKey {
            nodeKeyMetadata = recorded
        } else {
            if let recorded = try store.nodeKeyMetadata() {
                logger.warning("node key changed since it was recorded; recording the new key",
                               metadata: ["old": "\(recorded.publicKey.hex)", "new": "\(nodeKey.publicKey.hex)"])
            }
            nodeKeyMetadata = NodeKeyMetadata(publicKey: nodeKey.publicKey, createdAt: now)
            try store.setNodeKeyMetadata(nodeKeyMetadata)
            logger.info("recorded node key", metadata: ["public key": "\(nodeKey.publicKey.hex)"])
        }
    }

    /// Creates `path` (and missing parents) with mode 0700, or checks it is a directory.
    static func makeDirectory(_ path: String, logger: Logger) throws(ShareStoreError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw .notADirectory(path: path) }
            if info.st_mode & 0o077 != 0 {
                logger.warning("data directory is accessible to group or others; chmod 700 recommended",
                               metadata: ["path": "\(path)",
                                          "mode": "\(String(UInt32(info.st_mode & 0o777), radix: 8))"])
            }
            return
        }
        guard errno == ENOENT else { throw .io(path: path, operation: "stat", errno: errno) }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectory(String(path[..<slash]), logger: logger)
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw .io(path: path, operation: "mkdir", errno: errno)
        }
        // mkdir applies the umask; make the mode exact.
        guard chmod(path, 0o700) == 0 else { throw .io(path: path, operation: "chmod", errno: errno) }
        logger.info("created data directory", metadata: ["path": "\(path)"])
    }
}
