internal import BitcoinPrimitives

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The file holding a node's long-term Ed25519 identity.
///
/// Format: the 32-byte seed as 64 lower-case hex digits followed by one `\n` (65 bytes).
/// A file of exactly 64 hex digits without the newline is accepted too; anything else is
/// reported as ``NodeKeyFileError/corrupt(path:reason:)`` and never overwritten.
public enum NodeKeyFile {
    /// Loads the key at `path`, creating it first if no file exists there.
    ///
    /// Creating writes a fresh key to a temporary file in the same directory, opened with
    /// `O_CREAT | O_EXCL` and mode 0600, `fsync`s it, links it into place without replacing
    /// anything (falling back to `rename` on file systems without hard links), and `fsync`s
    /// the directory. If another process creates the file first, its key is loaded instead.
    /// The directory must already exist.
    ///
    /// Loading refuses a file that is not a regular file, is owned by another user, or is
    /// accessible to group or others (mode & 0o077 ≠ 0), before reading a byte of it.
    /// - Throws: ``NodeKeyFileError``.
    public static func loadOrCreate(at path: String) throws(NodeKeyFileError) -> SigningKey {
        for _ in 0..<3 {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                defer { close(fd) }
                return try load(fd: fd, path: path)
            }
            let code = errno
            guard code == ENOENT else { throw .io(path: path, operation: "open", errno: code) }
            if let key = try create(at: path) { return key }
            // Lost a creation race: another process linked its key first; load that one.
        }
        throw .io(path: path, operation: "open", errno: ENOENT)
    }

    /// The key file's contents for `key`: hex seed and newline.
    static func encode(_ key: SigningKey) -> [UInt8] {
        var seed = key.rawRepresentation
        defer { Sodium.zero(&seed) }
        return Array(Hex.encode(seed).utf8) + [UInt8(ascii: "\n")]
    }

    /// Parses a key file's contents; `fileSize` is the file's length, which may exceed
    /// `contents.count` when only the start of an over-long file was read.
    static func decode(_ contents: [UInt8], fileSize: Int) -> Result<SigningKey, DecodeFailure> {
        var body = contents[...]
        if body.last == UInt8(ascii: "\n") { body = body.dropLast() }
        guard body.count == 2 * SigningKey.seedByteCount else {
            return .failure(DecodeFailure(reason:
                "expected 65 bytes (64 hex digits and a newline), found \(max(fileSize, contents.count)) bytes"))
        }
        guard var seed = Hex.decode(utf8: body) else {
            return .failure(DecodeFailure(reason: "contains a character that is not a hex digit"))
        }
        defer { Sodium.zero(&seed) }
        return .success(SigningKey(rawRepresentation: seed)!)
    }

    /// Why key-file contents did not parse.
    struct DecodeFailure: Error {
        let reason: String
    }

    private static func load(fd: Int32, path: String) throws(NodeKeyFileError) -> SigningKey {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, operation: "fstat", errno: errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(path: path) }
        guard info.st_uid == geteuid() else {
            throw .wrongOwner(path: path, owner: UInt32(info.st_uid), expected: UInt32(geteuid()))
        }
        let permissions = UInt32(info.st_mode & 0o7777)
        guard permissions & 0o077 == 0 else { throw .insecurePermissions(path: path, mode: permissions) }

        // Read one byte more than a valid file holds, so an over-long file is detected.
        var buffer = [UInt8](repeating: 0, count: 2 * SigningKey.seedByteCount + 2)
        defer { Sodium.zero(&buffer) }
        var filled = 0
        while filled < buffer.count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            filled += n
        }
        var contents = Array(buffer[..<filled])
        defer { Sodium.zero(&contents) }
        switch decode(contents, fileSize: Int(info.st_size)) {
        case .success(let key): return key
        case .failure(let failure): throw .corrupt(path: path, reason: failure.reason)
        }
    }

    /// Writes a new key to `path`; `nil` if a file appeared there meanwhile.
    private static func create(at path: String) throws(NodeKeyFileError) -> SigningKey? {
        let key = SigningKey.generate()
        let temporary = path + ".tmp-" + Hex.encode(Sodium.randomBytes(8))
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(path: temporary, operation: "create", errno: errno) }
        var linked = false
        defer { if !linked { unlink(temporary) } }
        do {
            defer { close(fd) }
            var contents = encode(key)
            defer { Sodium.zero(&contents) }
            try writeAll(fd: fd, contents, path: temporary)
            guard fsync(fd) == 0 else { throw .io(path: temporary, operation: "fsync", errno: errno) }
        }
        if link(temporary, path) == 0 {
            unlink(temporary)
            linked = true
        } else {
            let code = errno
            if code == EEXIST { return nil }
            guard code == EPERM || code == EOPNOTSUPP || code == ENOSYS || code == EMLINK else {
                throw .io(path: path, operation: "link", errno: code)
            }
            guard rename(temporary, path) == 0 else { throw .io(path: path, operation: "rename", errno: errno) }
            linked = true
        }
        try syncDirectory(containing: path)
        return key
    }

    private static func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws(NodeKeyFileError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", errno: errno)
            }
            written += n
        }
    }

    private static func syncDirectory(containing path: String) throws(NodeKeyFileError) {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: directory, operation: "open directory", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(path: directory, operation: "fsync directory", errno: errno) }
    }
}
