internal import CLevelDB

/// Small helpers at the boundary with the leveldb C API.
enum CBridge {
    /// Calls `body` with leveldb's `char** errptr`; if leveldb stored a message there, frees it
    /// with `leveldb_free` and throws it.
    static func call<R>(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R)
        throws(LevelDBError) -> R
    {
        var error: UnsafeMutablePointer<CChar>? = nil
        let result = body(&error)
        if let error {
            let message = String(cString: error)
            leveldb_free(error)
            throw LevelDBError(message: message)
        }
        return result
    }

    /// Calls `body` with a `const char*` and length for `bytes`; never passes a null
    /// pointer, even for an empty array.
    static func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>, Int) -> R) -> R {
        bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress {
                return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { body($0, buffer.count) }
            }
            var placeholder: CChar = 0
            return withUnsafePointer(to: &placeholder) { body($0, 0) }
        }
    }

    /// Copies `length` bytes at `pointer` into an array.
    static func copy(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }
}
