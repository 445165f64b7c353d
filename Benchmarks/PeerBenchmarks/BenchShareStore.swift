import BitcoinPrimitives
import Foundation
import Sharechain

/// An in-memory `ShareStore` test double (the product path uses LevelDB).
final class BenchShareStore: ShareStore, @unchecked Sendable {
    private let lock = NSLock()
    private var shares: [ShareHash: (WireShare, ShareSummary)] = [:]
    private var tip: ShareHash?

    func commit(_ share: WireShare, summary: ShareSummary, newTip: ShareHash?) throws {
        lock.withLock {
            shares[summary.hash] = (share, summary)
            if let newTip { tip = newTip }
        }
    }
    func setBestTip(_ tip: ShareHash) throws { lock.withLock { self.tip = tip } }
    func bestTip() throws -> ShareHash? { lock.withLock { tip } }
    func share(_ hash: ShareHash) throws -> WireShare? { lock.withLock { shares[hash]?.0 } }
    func forEachSummary(progress: (Int, Int) -> Void, _ body: (ShareSummary) throws -> Void) throws {
        let all = lock.withLock { shares.values.map(\.1) }
            .sorted { ($0.height, $0.hash.rawHash.internalHex) < ($1.height, $1.hash.rawHash.internalHex) }
        for s in all { try body(s) }
        progress(all.count, all.count)
    }
    func prune(belowHeight height: UInt32) throws -> Int {
        lock.withLock {
            let doomed = shares.filter { $0.value.1.height < height }.map(\.key)
            for h in doomed { shares[h] = nil }
            return doomed.count
        }
    }
    func count() throws -> Int { lock.withLock { shares.count } }
}
