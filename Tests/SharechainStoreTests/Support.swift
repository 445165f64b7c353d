import Foundation
import Logging
import TidepoolTestSupport
import Sharechain
import SharechainStore
import SharechainTestSupport

/// A fresh, not-yet-created directory under the system temporary directory.
struct TemporaryDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("tidepool-store-\(UUID().uuidString)").path
    }

    /// Removes the directory and everything in it.
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A logger that discards everything.
let quietLogger = Logger.quiet()

/// Signed synthetic shares (real Ed25519 signatures from a fixed seed).
let signedChain = SyntheticChain(seed: 3, signs: true)

/// Opens (creating) a store at `path`.
func openStore(_ path: String, sync: Bool = false) throws -> LevelDBShareStore {
    try LevelDBShareStore(path: path, configuration: .init(syncWrites: sync), logger: quietLogger)
}

/// Commits `shares` in order, each moving the tip.
func commitAll(_ shares: some Sequence<WireShare>, to store: LevelDBShareStore) throws {
    for share in shares {
        try store.commit(share, summary: SyntheticChain.summary(share), newTip: share.hash)
    }
}

/// Every summary in replay order.
func allSummaries(_ store: LevelDBShareStore) throws -> [ShareSummary] {
    var result: [ShareSummary] = []
    try store.forEachSummary(progress: { _, _ in }) { result.append($0) }
    return result
}
