import BitcoinPrimitives
import Foundation
import NIOConcurrencyHelpers
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
    private let bitcoinParents: (any BitcoinParentResolver)?
    private let onEvent: @Sendable (ShareChainEvent) -> Void
    /// Rules of Bitcoin blocks already checked (for orphans released later), bounded.
    private var knownParents: [BlockHash: BitcoinParentCheck] = [:]
    private var knownParentOrder: [BlockHash] = []
    /// Shares whose Bitcoin block bitcoind did not know yet, retried by `retryHeld()`.
    private var held: [WireShare] = []
    /// Why the store's last write failed; nil while it works (read from any thread).
    private let storeFailureState = NIOLockedValueBox<String?>(nil)
    /// Released orphans that failed validation, for the peer manager to penalise.
    private var orphanFailures: [OrphanFailure] = []

    /// Most Bitcoin parent rules remembered; most shares held for an unknown Bitcoin block.
    public static let knownParentCapacity = 4096
    public static let heldCapacity = 1024
    /// Most orphan failures kept until `takeOrphanFailures()`.
    public static let orphanFailureCapacity = 1024

    /// Replays `store` (no re-validation) and serves it.
    /// - Parameters:
    ///   - orphanCapacity: orphans kept while a parent is missing; at least a sync round (2,000).
    ///   - orphanQuota: orphans kept per peer (default: half of `orphanCapacity`).
    ///   - retainedDepth: prune shares deeper than this below the tip (nil: keep everything).
    ///   - now: Unix-seconds clock for the future-drift rule.
    ///   - onBlock: receives full blocks relayed by peers (submit them to bitcoind).
    ///   - onEvent: told of every accepted, refused and pruned share as it happens (metrics).
    public init(parameters: SharechainParameters, store: any ShareStore, orphanCapacity: Int = 4096,
                orphanQuota: Int? = nil, retainedDepth: UInt32? = nil,
                replayProgress: (Int, Int) -> Void = { _, _ in },
                now: @escaping @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) },
                onBlock: @escaping @Sendable ([UInt8]) async -> Void = { _ in },
                bitcoinParents: (any BitcoinParentResolver)? = nil,
                onEvent: @escaping @Sendable (ShareChainEvent) -> Void = { _ in }) throws {
        self.bitcoinParents = bitcoinParents
        self.onEvent = onEvent
        chain = try Sharechain.replay(parameters: parameters, from: store, rootAnchorTimestamp: nil,
                                      progress: replayProgress)
        self.store = store
        orphans = OrphanPool(capacity: orphanCapacity, perSourceQuota: orphanQuota)
        self.retainedDepth = retainedDepth
        clock = now
        self.onBlock = onBlock
        (tipChanges, tipContinuation) = AsyncStream.makeStream(of: ShareHash.self, bufferingPolicy: .bufferingNewest(1))
        if let tip = chain.bestTip { path.move(to: tip, in: chain.index) }
        onEvent(.stored(count: chain.index.count))
        if let best = chain.best { onEvent(.newTip(height: best.height)) }
    }

    /// Why the store's last write failed (disk full, I/O error), or nil while it works.
    /// Set by a failed commit, cleared by the next successful write (`probeStore()`).
    public nonisolated var storeFailure: String? { storeFailureState.withLockedValue { $0 } }

    /// When the store is failing, tries a harmless write (the current best tip again);
    /// clears the failure when it succeeds. Returns whether the store works now.
    @discardableResult
    public func probeStore() -> Bool {
        guard storeFailure != nil else { return true }
        do {
            if let tip = chain.bestTip { try store.setBestTip(tip) } else { _ = try store.count() }
            storeFailureState.withLockedValue { $0 = nil }
            return true
        } catch {
            storeFailureState.withLockedValue { $0 = "\(error)" }
            return false
        }
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

    /// Reads the store directly, off the chain actor (a LevelDB handle is thread-safe), so
    /// answering a peer's `getshares` never delays share acceptance.
    public nonisolated func shares(_ hashes: [ShareHash]) -> [WireShare] {
        hashes.compactMap { try? store.share($0) }
    }

    /// Validates and accepts a share. With a `BitcoinParentResolver` its Bitcoin header
    /// is first checked against bitcoind (one RPC per new Bitcoin block, then cached); a
    /// share on a block bitcoind does not know yet is held and retried by `retryHeld()`.
    public func submit(_ share: WireShare, from peer: PeerID) async -> SubmitOutcome {
        await submit(share, from: peer, local: peer == .local)
    }

    private func submit(_ share: WireShare, from peer: PeerID, local: Bool) async -> SubmitOutcome {
        if orphans.contains(share) {
            onEvent(.notAccepted(.duplicate, local: local))
            return .duplicate
        }
        var check: BitcoinParentCheck?
        if let bitcoinParents {
            let prev = share.bitcoinHeader.prevBlock
            if let known = knownParents[prev] { check = known } else {
                let answer = await bitcoinParents.check(prev)
                if case .known = answer { remember(answer, for: prev) }
                check = answer
            }
        }
        return submit(share, check: check, from: peer, local: local)
    }

    public func bitcoinParentCheck(_ block: BlockHash) async -> BitcoinParentCheck? {
        guard let bitcoinParents else { return nil }
        if let known = knownParents[block] { return known }
        let answer = await bitcoinParents.check(block)
        if case .known = answer { remember(answer, for: block) }
        return answer
    }

    /// Retries the held shares (call when bitcoind's tip changes).
    public func retryHeld() async {
        let retry = held
        held.removeAll()
        // Held shares are peers' (our own shares build on our bitcoind's blocks).
        for share in retry { _ = await submit(share, from: .local, local: false) }
    }

    /// Released orphans that failed validation since the last call (`async` so that it,
    /// not the protocol's default, is chosen in async contexts).
    public func takeOrphanFailures() async -> [OrphanFailure] {
        defer { orphanFailures.removeAll() }
        return orphanFailures
    }

    /// Number of shares held for a Bitcoin block bitcoind does not know yet.
    public var heldCount: Int { held.count }

    private func remember(_ check: BitcoinParentCheck, for block: BlockHash) {
        if knownParents.updateValue(check, forKey: block) == nil { knownParentOrder.append(block) }
        if knownParentOrder.count > Self.knownParentCapacity { knownParents[knownParentOrder.removeFirst()] = nil }
    }

    private func hold(_ share: WireShare) {
        guard !held.contains(where: { $0.hash == share.hash }) else { return }
        held.append(share)
        if held.count > Self.heldCapacity { held.removeFirst() }
    }

    /// The check for an orphan released without a new lookup: the remembered rule, or
    /// nil when there is no resolver. Returns false when the share must be held instead.
    private func releasedCheck(_ share: WireShare) -> (ok: Bool, check: BitcoinParentCheck?) {
        guard bitcoinParents != nil else { return (true, nil) }
        guard let known = knownParents[share.bitcoinHeader.prevBlock] else { return (false, nil) }
        return (true, known)
    }

    private func submit(_ share: WireShare, check: BitcoinParentCheck?, from peer: PeerID, local: Bool) -> SubmitOutcome {
        do {
            let validated = try chain.validate(share, now: clock(), bitcoinParent: check)
            if let failure = commit(validated, local: local) { return failure }
            var adopted = [share.hash]
            var newTip = chain.bestTip == share.hash ? share.hash : nil
            releaseOrphans(of: share.hash, adopted: &adopted, newTip: &newTip)
            return .accepted(newTip: newTip, adopted: adopted)
        } catch .duplicate {
            onEvent(.notAccepted(.duplicate, local: local))
            return .duplicate
        } catch .orphan(let parent) {
            // Held in memory until the parent arrives: it must carry real work first.
            do { try chain.checkWithoutParent(share, now: clock()) } catch {
                onEvent(.notAccepted(error, local: local))
                return .rejected(error)
            }
            if orphans.add(share, source: peer.rawValue) == .duplicate {
                onEvent(.notAccepted(.duplicate, local: local))
                return .duplicate
            }
            onEvent(.notAccepted(.orphan(missingParent: parent), local: local))
            return .orphan(missingParent: parent)
        } catch .unknownBitcoinBlock(let block) {
            hold(share)
            onEvent(.notAccepted(.unknownBitcoinBlock(block), local: local))
            return .rejected(.unknownBitcoinBlock(block))
        } catch {
            onEvent(.notAccepted(error, local: local))
            return .rejected(error)
        }
    }

    public func submit(_ shares: [WireShare], from peer: PeerID) async -> [SubmitOutcome] {
        var outcomes: [SubmitOutcome] = []
        outcomes.reserveCapacity(shares.count)
        for share in shares { outcomes.append(await submit(share, from: peer)) }
        return outcomes
    }

    public func submitBlock(_ bytes: [UInt8]) async { await onBlock(bytes) }

    // MARK: Internals

    /// Store first, then index (a crash between the two only loses the index,
    /// which replay rebuilds). Returns a failure outcome if the store refused.
    private func commit(_ v: ValidatedShare, local: Bool) -> SubmitOutcome? {
        let movesTip = chain.wouldBecomeBest(v.summary)
        do {
            try store.commit(v.share, summary: v.summary, newTip: movesTip ? v.summary.hash : nil)
        } catch {
            storeFailureState.withLockedValue { $0 = "\(error)" }
            onEvent(.storeFailure(local: local))
            return .storeFailure("\(error)")
        }
        storeFailureState.withLockedValue { if $0 != nil { $0 = nil } }
        let outcome = chain.insert(v.summary)
        onEvent(.accepted(local: local))
        if let tip = outcome.newTip {
            path.move(to: tip, in: chain.index)
            tipContinuation.yield(tip)
            if let best = chain.best { onEvent(.newTip(height: best.height)) }
        }
        prune()
        onEvent(.stored(count: chain.index.count))
        return nil
    }

    private func releaseOrphans(of parent: ShareHash, adopted: inout [ShareHash], newTip: inout ShareHash?) {
        var pending = orphans.takeChildren(of: parent)
        while !pending.isEmpty {
            let orphan = pending.removeFirst()
            let child = orphan.share
            let (ok, check) = releasedCheck(child)
            guard ok else { hold(child); continue }
            let validated: ValidatedShare
            do {
                validated = try chain.validate(child, now: clock(), bitcoinParent: check)
            } catch {
                onEvent(.notAccepted(error, local: false))
                // Another variant with this hash may have been accepted (`duplicate`, no
                // fault); anything else is charged to the peer that sent this copy.
                if case .misbehaving = error.penalty, orphanFailures.count < Self.orphanFailureCapacity {
                    orphanFailures.append(OrphanFailure(peer: PeerID(rawValue: orphan.source), share: child.hash,
                                                        error: error))
                }
                continue
            }
            guard commit(validated, local: false) == nil else { continue }
            adopted.append(child.hash)
            if chain.bestTip == child.hash { newTip = child.hash }
            pending.append(contentsOf: orphans.takeChildren(of: child.hash))
        }
    }

    private func prune() {
        guard let depth = retainedDepth, let best = chain.best,
              best.height > chain.index.lowestHeight + depth + 1000 else { return }
        let before = chain.index.count
        let height = chain.prune(keepingDepth: depth)
        _ = try? store.prune(belowHeight: height)
        onEvent(.pruned(count: before - chain.index.count))
        path.prune(belowHeight: height)
    }
}
