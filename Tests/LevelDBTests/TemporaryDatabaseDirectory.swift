import Foundation
import LevelDB
import TidepoolTestSupport

/// A fresh, not-yet-created database directory under the system temporary directory.
struct TemporaryDatabaseDirectory {
    private let directory = TemporaryDirectory(prefix: "tidepool-leveldb")
    var path: String { directory.path }

    /// Removes the directory and everything in it.
    func remove() { directory.remove() }

    /// Opens (creating) the database with `options`.
    func open(_ options: LevelDB.Options = .init()) throws -> LevelDB {
        try LevelDB(path: path, options: options)
    }
}

/// The UTF-8 bytes of `text`.
func b(_ text: String) -> [UInt8] { Array(text.utf8) }

/// `n` in decimal, zero-padded on the left to `width` digits.
func padded(_ n: some BinaryInteger, _ width: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
