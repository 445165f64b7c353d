#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Why ``NodeKeyFile/loadOrCreate(at:)`` could not produce the node's key.
public enum NodeKeyFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key file can be read (or written) by its group or by others. `mode` holds the
    /// permission bits found (for example `0o644`). The file is left untouched.
    case insecurePermissions(path: String, mode: UInt32)
    /// The key file belongs to another user (`owner`) than the one running the node (`expected`).
    case wrongOwner(path: String, owner: UInt32, expected: UInt32)
    /// The path names a directory, device, socket or other non-regular file.
    case notARegularFile(path: String)
    /// The file's length or contents are not a key file's; `reason` says what was found.
    case corrupt(path: String, reason: String)
    /// A system call failed: `operation` names it, `errno` is its error number.
    case io(path: String, operation: String, errno: Int32)

    /// A message for the operator, including the command that fixes the problem when there is one.
    public var description: String {
        switch self {
        case let .insecurePermissions(path, mode):
            "node key file \(path) has permissions \(String(mode, radix: 8, uppercase: false).leftPadded(to: 4)); "
                + "it must be readable by its owner only. Run: chmod 600 '\(path)'"
        case let .wrongOwner(path, owner, expected):
            "node key file \(path) is owned by uid \(owner), but the node runs as uid \(expected). "
                + "Run: chown \(expected) '\(path)' (or start the node as its owner)"
        case let .notARegularFile(path):
            "node key file \(path) is not a regular file"
        case let .corrupt(path, reason):
            "node key file \(path) is corrupt: \(reason). It must hold exactly 64 hex digits and a newline. "
                + "Restore it from a backup, or move it away to make the node create a new identity"
        case let .io(path, operation, code):
            "node key file \(path): \(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
