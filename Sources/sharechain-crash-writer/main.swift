// sharechain-crash-writer DIRECTORY
//
// A test helper for SharechainStoreTests' crash test, not part of the node. Opens (creating
// if needed) the share store in DIRECTORY, continues the deterministic SyntheticChain
// (seed 7, unsigned) from the stored tip (or from the first share), and commits one share
// per batch with a tip move, forever; the test kills it with SIGKILL. After each commit
// returns it writes the share hash (64 hex digits, internal byte order) and a newline to
// standard output with one write(2), so a line is only ever printed for an acknowledged share.
import Logging
import Sharechain
import SharechainStore
import SharechainTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func emit(_ text: String, to fd: Int32) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
}

func fail(_ message: String) -> Never {
    emit("sharechain-crash-writer: \(message)\n", to: STDERR_FILENO)
    exit(1)
}

guard CommandLine.arguments.count == 2 else { fail("usage: sharechain-crash-writer DIRECTORY") }

do {
    let logger = Logger(label: "sharechain-crash-writer", factory: { _ in SwiftLogNoOpLogHandler() })
    let store = try LevelDBShareStore(path: CommandLine.arguments[1], logger: logger)
    let chain = SyntheticChain(seed: 7, signs: false)
    var parent = ShareHash.none
    var height: UInt32 = 0
    if let tip = try store.bestTip() {
        guard let share = try store.share(tip) else { fail("tip \(tip) has no stored share") }
        parent = tip
        height = share.header.height + 1
    }
    while height < 5_000_000 {
        let share = chain.share(height: height, parent: parent)
        let hash = share.hash
        try store.commit(share, summary: SyntheticChain.summary(share), newTip: hash)
        emit(hash.rawHash.internalHex + "\n", to: STDOUT_FILENO)
        parent = hash
        height += 1
    }
} catch {
    fail("\(error)")
}
