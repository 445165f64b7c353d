import BitcoinPrimitives
import Foundation
import Sharechain
import TIDES

/// An in-process `ShareChainAccess`: a `Sharechain` with its `ShareStore` and
/// `OrphanPool`. Shares are validated, committed to the store, then indexed;
/// orphans are released recursively when their parent arrives.
public actor LocalShareChain: ShareChainAccess {
    private var chain: Sharechain
    private let store: any ShareStore
    private var orphans: OrphanPool
    private var path = BestChainPath()
    private let retainedDepth: UInt32?
    private let clock: @Sendable () -> UInt64
    private let onBlock: @Sendable ([UInt8]) async -> Void

    /// Replays `store` (no re-validation) and serves it.
    /// - Parameters:
    ///   - orphanCapacity: orphans kept while a parent is missing; at least a sync round (2,000).
    ///   - retainedDepth: prune shares deeper than this below the tip (nil: keep everything).
    ///   - now: Unix-seconds clock for the future-drift rule.
    ///   - onBlock: receives full blocks relayed by peers (submit them to bitcoind).
    public init(parameters: SharechainParameters, store: any ShareStore, orphanCapacity: Int = 4096,
                retainedDepth: UInt32? = nil,
                replayProgress: (Int, Int) -> Void = { _, _ in },
                now: @escaping @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) },
                onBlock: @escaping @Sendable ([UInt8]) async -> Void = { _ in }) throws {
        chain = try Sharechain.replay(parameters: parameters, from: store, rootAnchorTimestamp: nil,
                                      progress: replayProgress)
        self.store = store
        orphans = OrphanPool(capacity: orphanCapacity)
        self.retainedDepth = retainedDepth
        clock = now
        self.onBlock = onBlock
        (tipChanges, tipContinuation) = AsyncStream.makeStream(of: ShareHash.self, bufferingPolicy: .bufferingNewest(1))
        if let tip = chain.bestTip { path.move(to: tip, in: chain.index) }
    }

    /// A copy of the chain (cheap: copy-on-write), e.g. to build templates or compare splits.
    public func snapshot() -> Sharechain { chain }

    /// Runs `body` on the chain itself (no copy), e.g. to build a block template's
    /// TIDES split on the best tip. Serialized with share acceptance.
    public func withChain<T: Sendable>(_ body: @Sendable (inout Sharechain) throws -> T) rethrows -> T {
        try body(&chain)
    }

    /// Every new best tip, as it happens (only the newest is buffered).
    public nonisolated let tipChanges: AsyncStream<ShareHash>
    private let tipContinuation: AsyncStream<ShareHash>.Continuation

    /// Number of orphans waiting for a parent.
    public var orphanCount: Int { orphans.count }

    public func bestTip() -> ChainTip? {
        chain.best.map { ChainTip(hash: $0.hash, height: $0.height, work: $0.chainWork) }
    }

    public func locator() -> [ShareHash] { path.locator() }

    public func hashes(after locator: [ShareHash], stop: ShareHash, limit: Int) -> [ShareHash] {
        guard let tipHeight = path.tipHeight else { return [] }
        var start = path.base
        for h in locator {
            if let e = chain.index[h], path.contains(h, height: e.height) { start = e.height + 1; break }
        }
        var out: [ShareHash] = []
        var height = start
        while height <= tipHeight && out.count < limit, let h = path.hash(atHeight: height) {
            out.append(h)
            if h == stop { break }
            height += 1
        }
        return out
    }

    public func unknown(_ hashes: [ShareHash]) -> [ShareHash] {
        hashes.filter { !chain.index.contains($0) && !orphans.contains($0) }
    }

    public func shares(_ hashes: [ShareHash]) -> [WireShare] {
        hashes.compactMap { try? store.share($0) }
    }

    public func submit(_ share: WireShare, from peer: PeerID) -> SubmitOutcome {
        if orphans.contains(share.hash) { return .duplicate }
        do {
            let validated = try chain.validate(share, now: clock())
            if let failure = commit(validated) { return failure }
            var adopted = [share.hash]
            var newTip = chain.bestTip == share.hash ? share.hash : nil
            releaseOrphans(of: share.hash, adopted: &adopted, newTip: &newTip)
            return .accepted(newTip: newTip, adopted: adopted)
        } catch .duplicate {
            return .duplicate
        } catch .orphan(let parent) {
            orphans.add(share)
            return .orphan(missingParent: parent)
        } catch {
            return .rejected(error)
        }
    }

    public func submit(_ shares: [WireShare], from peer: PeerID) -> [SubmitOutcome] {
        shares.map { submit($0, from: peer) }
    }

    public func submitBlock(_ bytes: [UInt8]) async { await onBlock(bytes) }

    // MARK: Internals

    /// Store first, then index (a crash between the two only loses the index,
    /// which replay rebuilds). Returns a failure outcome if the store refused.
    private func commit(_ v: ValidatedShare) -> SubmitOutcome? {
        let movesTip = chain.wouldBecomeBest(v.summary)
        do {
            try store.commit(v.share, summary: v.summary, newTip: movesTip ? v.summary.hash : nil)
        } catch {
            return .storeFailure("\(error)")
        }
        let outcome = chain.insert(v.summary)
        if let tip = outcome.newTip {
            path.move(to: tip, in: chain.index)
            tipContinuation.yield(tip)
        }
        prune()
        return nil
    }

    private func releaseOrphans(of parent: ShareHash, adopted: inout [ShareHash], newTip: inout ShareHash?) {
        var pending = orphans.takeChildren(of: parent)
        while !pending.isEmpty {
            let child = pending.removeFirst()
            guard let v = try? chain.validate(child, now: clock()), commit(v) == nil else { continue }
            adopted.append(child.hash)
            if chain.bestTip == child.hash { newTip = child.hash }
            pending.append(contentsOf: orphans.takeChildren(of: child.hash))
        }
    }

    private func prune() {
        guard let depth = retainedDepth, let best = chain.best,
              best.height > chain.index.lowestHeight + depth + 1000 else { return }
        let height = chain.prune(keepingDepth: depth)
        _ = try? store.prune(belowHeight: height)
        path.prune(belowHeight: height)
    }
}
