import BitcoinPrimitives
import Foundation
import Sharechain
import SharechainStore
import SharechainTestSupport
import Testing
import TidepoolTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGKILLs `sharechain-crash-writer` (Sources/sharechain-crash-writer) at deterministic
/// delays, several times on one directory, and checks after each kill that the store is a
/// consistent prefix of the writer's deterministic chain containing every acknowledged share.
/// The writer runs as a separate process (not `fork()` of this multithreaded one); its
/// standard output goes to a file, so it never blocks on a full pipe.
@Suite struct CrashTests {
    static func writerPath() throws -> String {
        if let path = helperExecutable(named: "sharechain-crash-writer", environment: "SHARECHAIN_CRASH_WRITER") { return path }
        Issue.record("sharechain-crash-writer not found near the test bundle; run `swift build --build-tests` first")
        throw CancellationError()
    }

    /// The writer's chain (seed 7, unsigned), generated as far as needed.
    final class Expected {
        let chain = SyntheticChain(seed: 7, signs: false)
        var shares: [WireShare] = []
        var index: [ShareHash: Int] = [:]

        func extend(to count: Int) {
            while shares.count < count {
                let parent = shares.last?.hash ?? .none
                let share = chain.share(height: UInt32(shares.count), parent: parent)
                index[share.hash] = shares.count
                shares.append(share)
            }
        }

        /// The height of `hash` in the chain, extending it by up to `limit` shares to look.
        func height(of hash: ShareHash, limit: Int) -> Int? {
            if let h = index[hash] { return h }
            let stop = shares.count + limit
            while shares.count < stop {
                extend(to: shares.count + 1)
                if shares.last!.hash == hash { return shares.count - 1 }
            }
            return nil
        }
    }

    /// Runs the writer on `store`, waits for its first acknowledged share if asked, lets it
    /// run `milliseconds`, SIGKILLs it, and returns the hashes it acknowledged.
    static func runAndKill(writer: String, store: String, output: String, waitForFirst: Bool,
                           milliseconds: UInt32, batch: Bool = false) throws -> [ShareHash] {
        try runAndKillLines(writer: writer, store: store, output: output, waitForFirst: waitForFirst,
                            milliseconds: milliseconds, prune: false, batch: batch).map { line in
            ShareHash(rawHash: Hash256(internalHex: String(line))!)
        }
    }

    /// `runAndKill` returning the writer's raw output lines (`--prune` when `prune`).
    static func runAndKillLines(writer: String, store: String, output: String, waitForFirst: Bool,
                                milliseconds: UInt32, prune: Bool, batch: Bool = false) throws -> [Substring] {
        _ = FileManager.default.createFile(atPath: output, contents: Data())
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let errors = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: writer)
        process.arguments = prune ? [store, "--prune"] : batch ? [store, "--batch"] : [store]
        process.standardOutput = handle
        process.standardError = errors
        try process.run()
        try handle.close()
        if waitForFirst {
            var waited = 0
            while (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0 == 0 {
                guard process.isRunning, waited < 20_000 else {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    Issue.record("writer acknowledged nothing: status \(process.terminationStatus): \(message)")
                    throw CancellationError()
                }
                usleep(1000)
                waited += 1
            }
        }
        usleep(milliseconds * 1000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: output)), as: UTF8.self)
        return text.split(separator: "\n")
    }

    @Test(.timeLimit(.minutes(3)))
    func killedWriterLeavesAConsistentChain() throws {
        let writer = try Self.writerPath()
        let root = TemporaryDirectory()
        defer { root.remove() }
        try FileManager.default.createDirectory(atPath: root.path, withIntermediateDirectories: true)
        let storePath = root.path + "/sharechain", output = root.path + "/acknowledged.txt"
        let expected = Expected()
        var storedTipHeight = -1
        let rounds: [(waitForFirst: Bool, milliseconds: UInt32)] = [
            (true, 5), (true, 40), (false, 3), (true, 150), (true, 15), (true, 300), (false, 30), (true, 80),
        ]
        for (number, round) in rounds.enumerated() {
            let acknowledged = try Self.runAndKill(writer: writer, store: storePath, output: output,
                                                   waitForFirst: round.waitForFirst, milliseconds: round.milliseconds)
            if round.waitForFirst { #expect(!acknowledged.isEmpty, "round \(number) made progress") }
            // The writer continued from the stored tip: its shares follow it in the sequence.
            expected.extend(to: storedTipHeight + 1 + acknowledged.count)
            for (offset, hash) in acknowledged.enumerated() {
                #expect(expected.index[hash] == storedTipHeight + 1 + offset,
                        "round \(number): acknowledged share \(offset) continues the stored chain")
            }
            let lastAcknowledged = storedTipHeight + acknowledged.count

            let store = try openStore(storePath)
            guard let tip = try store.bestTip() else {
                #expect(lastAcknowledged == -1, "round \(number): a tip exists once a share was acknowledged")
                continue
            }
            guard let tipHeight = expected.height(of: tip, limit: 2) else {
                Issue.record("round \(number): tip \(tip) is not in the writer's sequence")
                return
            }
            #expect(tipHeight == lastAcknowledged || tipHeight == lastAcknowledged + 1,
                    "round \(number): tip is the last acknowledged share or the one committed after it")
            #expect(store.count() == tipHeight + 1)
            // Every share up to the tip is present with its summary, parents first.
            let summaries = try allSummaries(store)
            #expect(summaries == expected.shares[...tipHeight].map(SyntheticChain.summary),
                    "round \(number): stored summaries are exactly the chain up to the tip")
            for hash in acknowledged {
                #expect(try store.share(hash) == expected.shares[expected.index[hash]!])
            }
            storedTipHeight = tipHeight
        }
        #expect(storedTipHeight > 100, "the writer committed enough shares across rounds")
    }

    /// Issue 13: SIGKILL while the writer prunes (every 300 shares, keeping 100) never loses
    /// or corrupts the chain: the recorded root is at or above every acknowledged prune, every
    /// share from the root to the tip is present, shares left below the root by an interrupted
    /// prune are whole, and a replay gives the tip with the unpruned chain's work.
    @Test(.timeLimit(.minutes(3)))
    func killedWriterDuringPruningKeepsAConsistentChain() throws {
        let writer = try Self.writerPath()
        let root = TemporaryDirectory()
        defer { root.remove() }
        try FileManager.default.createDirectory(atPath: root.path, withIntermediateDirectories: true)
        let storePath = root.path + "/sharechain", output = root.path + "/acknowledged.txt"
        let expected = Expected()
        let work = Work.of(target: try CompactTarget(rawValue: 0x1d00_ffff).target())
        var storedTipHeight = -1
        var lastAcknowledgedPrune: UInt32 = 0
        var sawPrunedRounds = 0
        let rounds: [UInt32] = [60, 7, 130, 23, 250, 41, 90, 13, 170, 55]
        for (number, milliseconds) in rounds.enumerated() {
            let lines = try Self.runAndKillLines(writer: writer, store: storePath, output: output, waitForFirst: true,
                                                 milliseconds: milliseconds, prune: true)
            var acknowledged = 0
            for line in lines {
                if line.hasPrefix("p ") {
                    lastAcknowledgedPrune = max(lastAcknowledgedPrune, UInt32(line.dropFirst(2))!)
                } else {
                    acknowledged += 1
                }
            }
            let lastAcknowledged = storedTipHeight + acknowledged
            expected.extend(to: lastAcknowledged + 2)
            let store = try openStore(storePath)
            guard let tip = try store.bestTip(), let tipHeight = expected.height(of: tip, limit: 2) else {
                Issue.record("round \(number): no tip in the writer's sequence")
                return
            }
            #expect(tipHeight == lastAcknowledged || tipHeight == lastAcknowledged + 1)
            let state = try store.pruneState()
            let rootHeight = state?.root.height ?? 0
            #expect(rootHeight >= lastAcknowledgedPrune, "round \(number): an acknowledged prune is recorded")
            if let state {
                sawPrunedRounds += 1
                #expect(state.root.hash == expected.shares[Int(rootHeight)].hash)
                #expect(state.root.baseChainWork == work * UInt256(UInt64(rootHeight)))
            }
            let summaries = try allSummaries(store)
            #expect(store.count() == summaries.count, "round \(number): the counter matches the records")
            let above = summaries.filter { $0.height >= rootHeight }
            #expect(above == expected.shares[Int(rootHeight)...tipHeight].map(SyntheticChain.summary),
                    "round \(number): every share from the root to the tip is present")
            for s in summaries where s.height < rootHeight {
                // Left by an interrupted prune: whole (summary and share), from the same chain.
                #expect(s == SyntheticChain.summary(expected.shares[Int(s.height)]))
                #expect(try store.share(s.hash) == expected.shares[Int(s.height)])
            }
            let chain = try Sharechain.replay(parameters: testParameters(), from: store)
            #expect(chain.bestTip == tip)
            #expect(chain.best?.chainWork == work * UInt256(UInt64(tipHeight + 1)))
            storedTipHeight = tipHeight
        }
        #expect(sawPrunedRounds >= 5, "the writer pruned in most rounds")
    }
}
