import BitcoinPrimitives
import Foundation
import Sharechain
import SharechainStore
import SharechainTestSupport
import Testing

/// Pruning with a recorded `PruneState` (Docs/STORAGE.md record `'r'`), and a bounded,
/// accelerated soak: 200,000 synthetic shares with a small retention, store size plateaus.
@Suite struct PruneStoreTests {
    static let shareWork = Work.of(target: try! CompactTarget(rawValue: 0x1d00_ffff).target())

    @Test func pruneRecordsTheStateAndReplayUsesIt() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let shares = SyntheticChain(signs: false).shares(count: 2_500)
        var anchorTimestamp: UInt64 = 0
        do {
            let store = try openStore(dir.path)
            #expect(try store.pruneState() == nil)
            try commitAll(shares, to: store)
            anchorTimestamp = shares[0].header.timestamp
            let root = ChainRoot(height: 1_800, hash: shares[1_800].hash, anchorTimestamp: anchorTimestamp,
                                 baseChainWork: Self.shareWork * UInt256(1_800))
            let state = PruneState(root: root, referenceCapacity: UInt256(12345))
            #expect(try store.prune(to: state) == 1_800)  // two full batches and a partial one
            #expect(try store.pruneState() == state)
            #expect(store.count() == 700)
            #expect(try store.share(shares[1_799].hash) == nil)
            #expect(try store.share(shares[1_800].hash) == shares[1_800])
        }
        // Reopened: replay starts at the root with the unpruned chain's work and anchor.
        let store = try openStore(dir.path)
        let chain = try Sharechain.replay(parameters: testParameters(), from: store)
        #expect(chain.bestTip == shares.last!.hash)
        #expect(chain.best?.chainWork == Self.shareWork * UInt256(2_500))
        #expect(chain.best?.anchorTimestamp == anchorTimestamp)
        #expect(chain.index.lowestHeight == 1_800 && chain.index.count == 700)
        #expect(chain.root?.height == 1_800)
    }

    @Test func replaySkipsSharesAnInterruptedPruneLeftBelowTheRoot() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let shares = SyntheticChain(signs: false).shares(count: 300)
        let memory = MemoryShareStore()
        for s in shares { try memory.commit(s, summary: SyntheticChain.summary(s), newTip: s.hash) }
        // The state is recorded but (as after a crash) nothing below the root was deleted yet.
        let root = ChainRoot(height: 200, hash: shares[200].hash, anchorTimestamp: shares[0].header.timestamp,
                             baseChainWork: Self.shareWork * UInt256(200))
        let chain = try Sharechain.replay(parameters: testParameters(), from: memory, root: root)
        #expect(chain.index.count == 100 && chain.best?.chainWork == Self.shareWork * UInt256(300))
    }

    /// 200,000 shares, retention ≈ 2,000–3,000 shares: the store's share count stays bounded
    /// and its directory stops growing (LevelDB compacts the deleted shares away).
    @Test(.timeLimit(.minutes(4)))
    func soakStoreSizePlateaus() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try openStore(dir.path)
        let generator = SyntheticChain(signs: false)
        let policy = RetentionPolicy(forkDepth: 1_000, batchShares: 1_000)
        let referenceCapacity = Self.shareWork * UInt256(250)  // 4 × Zref = 1,000 shares
        var chain = Sharechain(parameters: testParameters())
        var parent = ShareHash.none
        var sizes: [Int] = []
        var maxCount = 0
        var rss: [Int] = []
        let clock = ContinuousClock()
        var indexPrune = Duration.zero, storePrune = Duration.zero
        var pruned = 0
        let total = 200_000
        for height in 0..<UInt32(total) {
            let share = generator.share(height: height, parent: parent)
            let summary = SyntheticChain.summary(share)
            try store.commit(share, summary: summary, newTip: share.hash)
            chain.insert(summary)
            parent = share.hash
            if height % 1_000 == 999, let h = chain.pruneHeight(policy: policy, referenceCapacity: referenceCapacity) {
                let t0 = clock.now
                let maybeRoot = chain.prune(belowHeight: h)
                let t1 = clock.now
                let root = try #require(maybeRoot)
                pruned += try store.prune(to: PruneState(root: root, referenceCapacity: referenceCapacity))
                indexPrune += t1 - t0
                storePrune += clock.now - t1
            }
            maxCount = max(maxCount, store.count())
            // A minute of CPU: let the tests beside it (networked ones with timeouts) run.
            if height % 500 == 0 { await Task.yield() }
            if height % 50_000 == 49_999 {
                sizes.append(directorySize(dir.path))
                rss.append(residentBytes())
            }
        }
        #expect(maxCount <= 3_001)
        #expect(store.count() == chain.index.count)
        #expect(chain.best?.chainWork == Self.shareWork * UInt256(UInt64(total)))
        // 200,000 shares are ~150 MB; the retained ~3,000 are ~2 MB plus LevelDB's logs and tables.
        print("soak: store sizes at 50k/100k/150k/200k shares: \(sizes) bytes; max count \(maxCount); "
              + "process RSS \(rss) bytes (shared with concurrent tests); \(pruned) shares pruned: index \(indexPrune), "
              + "store \(storePrune)")
        #expect(sizes.last! < 48 << 20)
        #expect(sizes.last! <= max(sizes[0] * 2, 16 << 20), "store size plateaus")
    }

    /// Resident set size of this process (Linux `/proc/self/statm`), 0 elsewhere.
    func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * 4096 : 0
    }

    func directorySize(_ path: String) -> Int {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return files.reduce(0) { sum, name in
            sum + ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0)
        }
    }
}
