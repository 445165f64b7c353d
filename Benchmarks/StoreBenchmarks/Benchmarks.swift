import Benchmark
import BitcoinPrimitives
import Foundation
import LevelDB
import Logging
import Sharechain
import SharechainStore
import SharechainTestSupport

/// Share store throughput (Docs/BENCHMARKS.md, "Store"): committing realistic wire shares
/// with a tip move, replaying summaries over a million stored shares, and the same shapes
/// of raw LevelDB writes and scans as the physical limit.
let benchmarks: @Sendable () -> Void = {
    let perThousand = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo, maxDuration: .seconds(5), maxIterations: 100)
    let perScan = Benchmark.Configuration(
        metrics: [.wallClock, .throughput],
        warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(20), maxIterations: 5)
    let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
    let chain = SyntheticChain(seed: 7, signs: false)
    let scanSize = 1_000_000
    let fixture = Fixture()

    Benchmark("Store commit: ~740-byte share + summary + tip move", configuration: perThousand) { benchmark in
        let store = fixture.writeStore!
        for _ in benchmark.scaledIterations {
            let (share, summary) = fixture.nextWithSummary()
            try? store.commit(share, summary: summary, newTip: summary.hash)
        }
    } setup: {
        fixture.writeDirectory = Fixture.temporaryPath()
        fixture.writeStore = try LevelDBShareStore(path: fixture.writeDirectory, logger: logger)
        fixture.shares = chain.shares(count: 110_000)
        fixture.summaries = fixture.shares.map(SyntheticChain.summary)
        print("share size: \(fixture.shares[0].serialized.count) bytes, summary size: "
            + "\(SyntheticChain.summary(fixture.shares[0]).serialized.count) bytes")
    } teardown: {
        fixture.writeStore = nil
        fixture.shares = []
        fixture.summaries = []
        Fixture.remove(fixture.writeDirectory)
    }

    // Issue 17: sync writes a run of received shares in one write batch (`commit(_:newTip:)`).
    Benchmark("Store commit, sync runs of 250 shares per write batch", configuration: perThousand) { benchmark in
        let store = fixture.writeStore!
        var writes: [ShareWrite] = []
        writes.reserveCapacity(250)
        for _ in benchmark.scaledIterations {
            let (share, summary) = fixture.nextWithSummary()
            writes.append(ShareWrite(share: share, summary: summary))
            if writes.count == 250 {
                try? store.commit(writes, newTip: writes[249].summary.hash)
                writes.removeAll(keepingCapacity: true)
            }
        }
        if let last = writes.last { try? store.commit(writes, newTip: last.summary.hash) }
    } setup: {
        fixture.writeDirectory = Fixture.temporaryPath()
        fixture.writeStore = try LevelDBShareStore(path: fixture.writeDirectory, logger: logger)
        fixture.shares = chain.shares(count: 110_000)
        fixture.summaries = fixture.shares.map(SyntheticChain.summary)
        fixture.position = 0
    } teardown: {
        fixture.writeStore = nil
        fixture.shares = []
        fixture.summaries = []
        Fixture.remove(fixture.writeDirectory)
    }

    // Where a commit's and a replay record's CPU time goes (no I/O).
    let sample = chain.share(height: 1000, parent: .none)
    let sampleSummary = SyntheticChain.summary(sample)
    let summaryBytes = sampleSummary.serialized

    Benchmark("Codec: WireShare + ShareSummary serialization (no I/O)", configuration: perThousand) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(sample.serialized)
            blackHole(sampleSummary.serialized)
        }
    }

    Benchmark("Codec: ShareSummary decode (no I/O)", configuration: perThousand) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? ShareSummary(serialized: summaryBytes))
        }
    }

    // Issue 17: the replay path's decoder (fixed offsets, no generic reader).
    Benchmark("Codec: ShareSummary.decodeRecord (replay fast path, no I/O)", configuration: perThousand) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ShareSummary.decodeRecord(summaryBytes))
        }
    }

    Benchmark("LevelDB raw batch: 740 + 130 + 32 bytes under 33/37/1-byte keys", configuration: perThousand) { benchmark in
        let db = fixture.rawWriteDatabase!
        let value = [UInt8](repeating: 0x5a, count: 740), summary = [UInt8](repeating: 0xa5, count: 130)
        for _ in benchmark.scaledIterations {
            fixture.counter += 1
            let hash = Fixture.pseudoHash(fixture.counter)
            let batch = WriteBatch()
            batch.put([0x73] + hash, value)
            batch.put([0x69] + Fixture.bigEndian(UInt32(truncatingIfNeeded: fixture.counter)) + hash, summary)
            batch.put([0x74], hash)
            try? db.write(batch, sync: false)
        }
    } setup: {
        fixture.rawWriteDirectory = Fixture.temporaryPath()
        fixture.rawWriteDatabase = try LevelDB(path: fixture.rawWriteDirectory)
    } teardown: {
        fixture.rawWriteDatabase = nil
        Fixture.remove(fixture.rawWriteDirectory)
    }

    /// A store holding a `scanSize`-share chain, for the scan and replay benchmarks.
    func fillScanStore() throws {
        fixture.scanDirectory = Fixture.temporaryPath()
        let store = try LevelDBShareStore(path: fixture.scanDirectory, logger: logger)
        var parent = ShareHash.none
        for height in 0..<UInt32(scanSize) {
            let share = chain.share(height: height, parent: parent)
            try store.commit(share, summary: SyntheticChain.summary(share), newTip: share.hash)
            parent = share.hash
        }
        fixture.scanStore = store
    }

    Benchmark("Store forEachSummary over 1,000,000 shares", configuration: perScan) { _ in
        var n = 0
        try? fixture.scanStore!.forEachSummary(progress: { _, _ in }) { summary in
            n += 1
            blackHole(summary)
        }
        precondition(n == scanSize)
    } setup: {
        try fillScanStore()
    } teardown: {
        fixture.scanStore = nil
        Fixture.remove(fixture.scanDirectory)
    }

    // Start-up replay as the node does it: store scan + chain index + fork choice +
    // TIDES window (Docs/STORAGE.md, "Replay"). Target ≥ 500,000 shares/s.
    Benchmark("Replay 1,000,000 stored shares (store + index + TIDES window)",
              configuration: .init(metrics: [.wallClock, .throughput, .peakMemoryResident], warmupIterations: 0,
                                   scalingFactor: .one, maxDuration: .seconds(30), maxIterations: 3)) { _ in
        let chain = try? Sharechain.replay(parameters: testParameters(), from: fixture.scanStore!, rootAnchorTimestamp: nil)
        precondition(chain?.index.count == scanSize)
        blackHole(chain?.windowShareCount)
    } setup: {
        try fillScanStore()
    } teardown: {
        fixture.scanStore = nil
        Fixture.remove(fixture.scanDirectory)
    }

    // Issue 13: pruning and replaying a pruned store (Docs/BENCHMARKS.md, "Pruning").
    let pruneFill = 300_000, pruneKeep = 50_000
    let once = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], warmupIterations: 0,
                                       scalingFactor: .one, maxDuration: .seconds(60), maxIterations: 1)
    let work = Work.of(target: try! CompactTarget(rawValue: 0x1d00_ffff).target())
    func fillPruneStore() throws -> [ShareHash] {
        fixture.scanDirectory = Fixture.temporaryPath()
        let store = try LevelDBShareStore(path: fixture.scanDirectory, logger: logger)
        var parent = ShareHash.none
        var hashes: [ShareHash] = []
        for height in 0..<UInt32(pruneFill) {
            let share = chain.share(height: height, parent: parent)
            try store.commit(share, summary: SyntheticChain.summary(share), newTip: share.hash)
            parent = share.hash
            hashes.append(share.hash)
        }
        fixture.scanStore = store
        return hashes
    }
    func pruneState(_ hashes: [ShareHash]) -> PruneState {
        let height = UInt32(pruneFill - pruneKeep)
        return PruneState(root: ChainRoot(height: height, hash: hashes[Int(height)], anchorTimestamp: 1_700_000_000,
                                          baseChainWork: work * UInt256(UInt64(height))),
                          referenceCapacity: work)
    }
    Benchmark("Store prune: 250,000 of 300,000 shares (1,000-share batches, PruneState first)", configuration: once) { _ in
        let removed = try? fixture.scanStore!.prune(to: pruneState(fixture.hashes))
        precondition(removed == pruneFill - pruneKeep)
    } setup: {
        fixture.hashes = try fillPruneStore()
    } teardown: {
        fixture.scanStore = nil
        Fixture.remove(fixture.scanDirectory)
    }

    Benchmark("Replay a pruned store: 50,000 shares left of 300,000 (index + TIDES window)", configuration: once) { _ in
        let replayed = try? Sharechain.replay(parameters: testParameters(), from: fixture.scanStore!)
        precondition(replayed?.index.count == pruneKeep && replayed?.best?.chainWork == work * UInt256(UInt64(pruneFill)))
    } setup: {
        fixture.hashes = try fillPruneStore()
        _ = try fixture.scanStore!.prune(to: pruneState(fixture.hashes))
    } teardown: {
        fixture.scanStore = nil
        Fixture.remove(fixture.scanDirectory)
    }

    Benchmark("LevelDB raw scan of 1,000,000 37-byte keys / 130-byte values", configuration: perScan) { _ in
        var n = 0
        try? fixture.rawScanDatabase!.forEach(prefix: [0x69]) { key, value in
            n += 1
            blackHole(key)
            blackHole(value)
        }
        precondition(n == scanSize)
    } setup: {
        fixture.rawScanDirectory = Fixture.temporaryPath()
        let db = try LevelDB(path: fixture.rawScanDirectory)
        let batch = WriteBatch()
        for i in 0..<UInt64(scanSize) {
            let hash = Fixture.pseudoHash(i)
            batch.put([0x69] + Fixture.bigEndian(UInt32(i)) + hash, hash + hash + hash + hash + [UInt8](repeating: 1, count: 2))
            if batch.count == 10_000 {
                try db.write(batch, sync: false)
                batch.clear()
            }
        }
        fixture.rawScanDatabase = db
    } teardown: {
        fixture.rawScanDatabase = nil
        Fixture.remove(fixture.rawScanDirectory)
    }
}

/// Mutable state shared by a benchmark's setup, body and teardown, which the harness runs
/// one after another on one thread.
final class Fixture: @unchecked Sendable {
    var writeDirectory = "", rawWriteDirectory = "", scanDirectory = "", rawScanDirectory = ""
    var writeStore: LevelDBShareStore?
    var scanStore: LevelDBShareStore?
    var rawWriteDatabase: LevelDB?
    var rawScanDatabase: LevelDB?
    var shares: [WireShare] = []
    /// The shares' summaries, computed in setup: a node commits a share whose summary
    /// validation already made, so hashing test data is not part of a commit's time.
    var summaries: [ShareSummary] = []
    var hashes: [ShareHash] = []
    var position = 0
    var counter: UInt64 = 0

    /// The next pre-generated share (wrapping around: later rounds recommit stored shares).
    func next() -> WireShare {
        defer { position = (position + 1) % shares.count }
        return shares[position]
    }

    /// The next pre-generated share with its summary (wrapping around like `next()`).
    func nextWithSummary() -> (WireShare, ShareSummary) {
        defer { position = (position + 1) % shares.count }
        return (shares[position], summaries[position])
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-bench-\(UUID().uuidString)").path
    }

    static func remove(_ path: String) {
        if !path.isEmpty { try? FileManager.default.removeItem(atPath: path) }
    }

    static func bigEndian(_ n: UInt32) -> [UInt8] {
        [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
    }

    /// 32 well-mixed bytes from `n` (splitmix64), standing in for a hash.
    static func pseudoHash(_ n: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var x = n
        for _ in 0..<4 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: z >> (8 * k))) }
        }
        return bytes
    }
}
