import BitcoinPrimitives
import Foundation
import LevelDB
import Sharechain
import SharechainStore
import SharechainTestSupport
import Testing

/// `commit(_:newTip:)`: a run of shares in one write batch (issue 17, sync commits).
@Suite struct BatchCommitTests {
    static func writes(_ shares: [WireShare]) -> [ShareWrite] {
        shares.map { ShareWrite(share: $0, summary: SyntheticChain.summary($0)) }
    }

    /// Stored records, key by key, of a whole store.
    static func records(_ path: String) throws -> [[UInt8]: [UInt8]] {
        let db = try LevelDB(path: path, options: LevelDB.Options())
        var all: [[UInt8]: [UInt8]] = [:]
        try db.forEach(prefix: []) { key, value in all[key] = value }
        return all
    }

    @Test func batchEqualsOneByOne() throws {
        let shares = SyntheticChain(seed: 11, signs: false).shares(count: 60)
        let one = TemporaryDirectory(), batched = TemporaryDirectory()
        defer { one.remove(); batched.remove() }
        do {
            let store = try openStore(one.path)
            for (i, share) in shares.enumerated() {
                // The tip moves with the last share of each run of 25 (as the chain owner does).
                let last = i == 24 || i == 49 || i == shares.count - 1
                try store.commit(share, summary: SyntheticChain.summary(share), newTip: last ? share.hash : nil)
            }
            #expect(store.count() == 60)
        }
        do {
            let store = try openStore(batched.path)
            try store.commit(Self.writes(Array(shares[0..<25])), newTip: shares[24].hash)
            try store.commit(Self.writes(Array(shares[25..<50])), newTip: shares[49].hash)
            try store.commit(Self.writes(Array(shares[50...])), newTip: shares[59].hash)
            #expect(store.count() == 60)
            #expect(try store.bestTip() == shares[59].hash)
            #expect(try allSummaries(store) == shares.map(SyntheticChain.summary))
        }
        #expect(try Self.records(one.path) == Self.records(batched.path), "byte-identical records")
    }

    @Test func recommitAndDuplicatesCountOnce() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try openStore(dir.path)
        let shares = SyntheticChain(seed: 12, signs: false).shares(count: 10)
        try store.commit(Self.writes(Array(shares[0..<4])), newTip: shares[3].hash)
        #expect(store.count() == 4)
        // Overlaps the stored run and lists one share twice.
        try store.commit(Self.writes(Array(shares[2..<10]) + [shares[6]]), newTip: nil)
        #expect(store.count() == 10)
        #expect(try store.bestTip() == shares[3].hash, "no newTip leaves the tip")
        try store.commit([], newTip: shares[9].hash)
        #expect(try store.bestTip() == shares[9].hash)
        try store.commit(Self.writes([shares[9]]), newTip: nil)
        #expect(store.count() == 10)
        try store.commit([], newTip: nil)
        #expect(store.count() == 10)
        #expect(try allSummaries(store) == shares.map(SyntheticChain.summary))
    }

    @Test func memoryStoreBatch() throws {
        let store = MemoryShareStore()
        let shares = SyntheticChain(seed: 13, signs: false).shares(count: 5)
        try store.commit(Self.writes(shares), newTip: shares[4].hash)
        #expect(try store.count() == 5)
        #expect(try store.bestTip() == shares[4].hash)
    }

    /// SIGKILL while the writer commits runs of 10 shares per batch: after every kill the
    /// store holds whole runs only (the tip ends a run, the count and the summaries are the
    /// chain up to it), including every acknowledged share.
    @Test(.timeLimit(.minutes(3)))
    func killedBatchWriterLeavesWholeBatches() throws {
        let writer = try CrashTests.writerPath()
        let root = TemporaryDirectory()
        defer { root.remove() }
        try FileManager.default.createDirectory(atPath: root.path, withIntermediateDirectories: true)
        let storePath = root.path + "/sharechain", output = root.path + "/acknowledged.txt"
        let expected = CrashTests.Expected()
        var storedTipHeight = -1
        let rounds: [(waitForFirst: Bool, milliseconds: UInt32)] = [(true, 5), (true, 40), (false, 3), (true, 120), (true, 11)]
        for (number, round) in rounds.enumerated() {
            let acknowledged = try CrashTests.runAndKill(writer: writer, store: storePath, output: output,
                                                         waitForFirst: round.waitForFirst,
                                                         milliseconds: round.milliseconds, batch: true)
            #expect(acknowledged.count % 10 == 0, "round \(number): acknowledged in whole runs")
            expected.extend(to: storedTipHeight + 1 + acknowledged.count)
            for (offset, hash) in acknowledged.enumerated() {
                #expect(expected.index[hash] == storedTipHeight + 1 + offset)
            }
            let lastAcknowledged = storedTipHeight + acknowledged.count
            let store = try openStore(storePath)
            guard let tip = try store.bestTip() else {
                #expect(lastAcknowledged == -1)
                continue
            }
            guard let tipHeight = expected.height(of: tip, limit: 10) else {
                Issue.record("round \(number): tip \(tip) is not in the writer's sequence")
                return
            }
            #expect(tipHeight == lastAcknowledged || tipHeight == lastAcknowledged + 10,
                    "round \(number): the tip is the last acknowledged run's or the next run's last share")
            #expect((tipHeight + 1) % 10 == 0, "round \(number): only whole runs are stored")
            #expect(store.count() == tipHeight + 1)
            #expect(try allSummaries(store) == expected.shares[...tipHeight].map(SyntheticChain.summary))
            storedTipHeight = tipHeight
        }
        #expect(storedTipHeight > 30)
    }
}
