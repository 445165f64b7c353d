import BitcoinPrimitives
import Foundation
import Sharechain

/// An in-memory `ShareStore` test double (the product path uses LevelDB).
public final class MemoryShareStore: ShareStore, @unchecked Sendable {
    private let lock = NSLock()
    private var shares: [ShareHash: (WireShare, ShareSummary)] = [:]
    private var tip: ShareHash?
    private var state: PruneState?

    public init() {}

    public func commit(_ share: WireShare, summary: ShareSummary, newTip: ShareHash?) throws {
        lock.withLock {
            shares[summary.hash] = (share, summary)
            if let newTip { tip = newTip }
        }
    }
    public func commit(_ writes: [ShareWrite], newTip: ShareHash?) throws {
        lock.withLock {
            for w in writes { shares[w.summary.hash] = (w.share, w.summary) }
            if let newTip { tip = newTip }
        }
    }
    public func setBestTip(_ tip: ShareHash) throws { lock.withLock { self.tip = tip } }
    public func bestTip() throws -> ShareHash? { lock.withLock { tip } }
    public func share(_ hash: ShareHash) throws -> WireShare? { lock.withLock { shares[hash]?.0 } }
    public func forEachSummary(progress: (Int, Int) -> Void, _ body: (ShareSummary) throws -> Void) throws {
        let all = lock.withLock { shares.values.map(\.1) }
            .sorted { ($0.height, $0.hash.rawHash.internalHex) < ($1.height, $1.hash.rawHash.internalHex) }
        for (i, s) in all.enumerated() { try body(s); if i % 100 == 0 { progress(i, all.count) } }
        progress(all.count, all.count)
    }
    public func prune(belowHeight height: UInt32) throws -> Int {
        lock.withLock {
            let doomed = shares.filter { $0.value.1.height < height }.map(\.key)
            for h in doomed { shares[h] = nil }
            return doomed.count
        }
    }
    public func prune(to state: PruneState) throws -> Int {
        lock.withLock { self.state = state }
        return try prune(belowHeight: state.root.height)
    }
    public func pruneState() throws -> PruneState? { lock.withLock { state } }
    public func count() throws -> Int { lock.withLock { shares.count } }
}
