// sharechain-crash-writer DIRECTORY [--prune | --batch]
//
// A test helper for SharechainStoreTests' crash test, not part of the node. Opens (creating
// if needed) the share store in DIRECTORY, continues the deterministic SyntheticChain
// (seed 7, unsigned) from the stored tip (or from the first share), and commits one share
// per batch with a tip move, forever; the test kills it with SIGKILL. After each commit
// returns it writes the share hash (64 hex digits, internal byte order) and a newline to
// standard output with one write(2), so a line is only ever printed for an acknowledged share.
// With --batch it commits 10 shares per batch (`commit(_:newTip:)`, tip on the last) and
// prints their 10 lines with one write(2) after the batch returns.
import BitcoinPrimitives
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

let arguments = CommandLine.arguments
guard arguments.count == 2 || (arguments.count == 3 && ["--prune", "--batch"].contains(arguments[2])) else {
    fail("usage: sharechain-crash-writer DIRECTORY [--prune | --batch]")
}
let prunes = arguments.count == 3 && arguments[2] == "--prune"
let batches = arguments.count == 3 && arguments[2] == "--batch"

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
    // Hashes of the stored chain by height (the store holds at most a few hundred when pruning).
    var hashes: [UInt32: ShareHash] = [:]
    if prunes { try store.forEachSummary(progress: { _, _ in }) { hashes[$0.height] = $0.hash } }
    let work = Work.of(target: try CompactTarget(rawValue: 0x1d00_ffff).target())
    while batches && height < 5_000_000 {
        var writes: [ShareWrite] = []
        for _ in 0..<10 {
            let share = chain.share(height: height, parent: parent)
            writes.append(ShareWrite(share: share, summary: SyntheticChain.summary(share)))
            parent = share.hash
            height += 1
        }
        try store.commit(writes, newTip: parent)
        emit(writes.map { $0.summary.hash.rawHash.internalHex + "\n" }.joined(), to: STDOUT_FILENO)
    }
    while height < 5_000_000 {
        let share = chain.share(height: height, parent: parent)
        let hash = share.hash
        try store.commit(share, summary: SyntheticChain.summary(share), newTip: hash)
        emit(hash.rawHash.internalHex + "\n", to: STDOUT_FILENO)
        if prunes {
            hashes[height] = hash
            if height % 300 == 299, let rootHash = hashes[height - 100] {
                let rootHeight = height - 100
                let root = ChainRoot(height: rootHeight, hash: rootHash, anchorTimestamp: 1_700_000_000,
                                     baseChainWork: work * UInt256(UInt64(rootHeight)))
                _ = try store.prune(to: PruneState(root: root, referenceCapacity: work))
                hashes = hashes.filter { $0.key >= rootHeight }
                emit("p \(rootHeight)\n", to: STDOUT_FILENO)
            }
        }
        parent = hash
        height += 1
    }
} catch {
    fail("\(error)")
}
