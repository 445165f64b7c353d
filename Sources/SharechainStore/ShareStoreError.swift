import LevelDB

/// Why a store operation failed.
public enum ShareStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The store was written by a schema this build does not know (usually a newer node).
    case unsupportedSchemaVersion(path: String, found: UInt32, supported: UInt32)
    /// The directory holds a LevelDB database without a schema record: not a share store.
    case notAShareStore(path: String)
    /// A record could not be decoded; `key` is the record's key in lower-case hex.
    case corruptRecord(key: String, reason: String)
    /// LevelDB reported an error.
    case database(LevelDBError)
    /// A file-system call failed while preparing the data directory.
    case io(path: String, operation: String, errno: Int32)
    /// The data directory path exists but is not a directory.
    case notADirectory(path: String)
    /// The node key file could not be loaded or created (its message explains the fix).
    case nodeKey(String)
    /// A peer host that is empty or longer than 255 UTF-8 bytes.
    case invalidPeerHost(String)

    /// A message for the operator.
    public var description: String {
        switch self {
        case let .unsupportedSchemaVersion(path, found, supported):
            "share store \(path) has schema version \(found), but this node supports only version \(supported); "
                + "run a node version that knows schema \(found), or move the directory away to resync"
        case let .notAShareStore(path):
            "\(path) holds a LevelDB database without a Tidepool schema record; refusing to use it as a share store"
        case let .corruptRecord(key, reason):
            "share store record \(key) is corrupt: \(reason)"
        case let .database(error):
            "share store: \(error)"
        case let .io(path, operation, code):
            "data directory \(path): \(operation) failed (errno \(code))"
        case let .notADirectory(path):
            "data directory \(path) exists and is not a directory"
        case let .nodeKey(message):
            message
        case let .invalidPeerHost(host):
            "peer host \"\(host)\" is empty or longer than 255 bytes"
        }
    }
}

extension ShareStoreError {
    /// Runs a LevelDB call, wrapping its error.
    static func wrap<R>(_ body: () throws(LevelDBError) -> R) throws(ShareStoreError) -> R {
        do { return try body() } catch { throw .database(error) }
    }
}
