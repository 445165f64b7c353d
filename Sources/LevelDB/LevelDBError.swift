/// A failure reported by leveldb, carrying its message verbatim.
public struct LevelDBError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The class of failure, derived from the prefix of leveldb's status message.
    public enum Kind: Equatable, Sendable {
        /// The database's `LOCK` file is held: another process (or another open handle in
        /// this process) has the database open.
        case locked
        /// Stored data failed a checksum or format check (`Corruption:`).
        case corruption
        /// An operating-system I/O call failed (`IO error:`), other than the lock.
        case ioError
        /// `NotFound:` — for example opening a missing database without `createIfMissing`.
        case notFound
        /// `Invalid argument:` — for example a database that exists when `errorIfExists` is set.
        case invalidArgument
        /// `Not implemented:`.
        case notSupported
        /// Any other message.
        case other
    }

    /// The class of failure.
    public let kind: Kind
    /// The text leveldb returned, for example `IO error: lock /data/LOCK: Resource temporarily unavailable`.
    public let message: String

    /// Classifies a leveldb status message.
    public init(message: String) {
        self.message = message
        kind = if message.hasPrefix("IO error: lock ") {
            .locked
        } else if message.hasPrefix("Corruption:") {
            .corruption
        } else if message.hasPrefix("IO error:") {
            .ioError
        } else if message.hasPrefix("NotFound:") {
            .notFound
        } else if message.hasPrefix("Invalid argument:") {
            .invalidArgument
        } else if message.hasPrefix("Not implemented:") {
            .notSupported
        } else {
            .other
        }
    }

    /// leveldb's message, preceded by a plain explanation for a held lock.
    public var description: String {
        switch kind {
        case .locked: "database is locked by another process (or already open in this one): \(message)"
        case .corruption: "database is corrupt: \(message)"
        default: message
        }
    }
}
