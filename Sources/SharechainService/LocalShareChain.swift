import BitcoinPrimitives
import Foundation
import Logging
import NIOConcurrencyHelpers
import Sharechain
import TIDES

/// The owner of the node's sharechain: a `Sharechain` with its `ShareStore` and
/// `OrphanPool`. Every share — a peer's or a local miner's — enters through `submit`, is
/// validated, committed to the store, then indexed; orphans are released recursively when
/// their parent arrives. It reports what happened as it happens: `tipChanges` (the mining
/// coordinator rebuilds jobs), `localAcceptances` (the peer network announces the node's
/// own shares) and `onEvent` (metrics).
public actor LocalShareChain {
    private var chain: Sharechain
    private let store: any ShareStore
    private var orphans: OrphanPool
    private var path = BestChainPath()
    private let retainedDepth: UInt32?
    private let retention: RetentionPolicy?
    /// `Zref`: the largest window capacity of a share this node validated (persisted).
    private var referenceCapacity: UInt256
    private var sharesSincePruneCheck = 0
    /// The store's share of the last prune, running off the actor (each waits for the one before).
    private var storePruning: Task<Void, Never>?
    private let logger: Logger
    private let clock: @Sendable () -> UInt64
    private let bitcoinParents: (any BitcoinParentResolver)?
    /// Helper threads for received runs' signatures; nil with no helper thread.
    private let signatureChecker: SignatureChecker?
    private let onEvent: @Sendable (ShareChainEvent) -> Void
    /// Rules of Bitcoin blocks already checked (for orphans released later), bounded.
    private var knownParents = RecentMap<BlockHash, BitcoinParentCheck>(capacity: LocalShareChain.knownParentCapacity)
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
    /// The smallest received run whose signatures are checked ahead on helper threads;
    /// gossip's one- and two-share messages are checked in place, where handing them over
    /// costs more than it saves (sync sends runs of up to 250).
    public static let signatureBatchMinimum = 8

    /// Replays `store` (no re-validation, from its prune state when it was pruned; progress
    /// lines go to `logger`) and serves it.
    /// - Parameters:
    ///   - orphanCapacity: orphans kept while a parent is missing; at least a sync round (2,000).
    ///   - orphanQuota: orphans kept per peer (default: half of `orphanCapacity`).
    ///   - retention: prune by work (Docs/PROTOCOL.md §10); nil keeps everything unless
    ///     `retainedDepth` is set.
    ///   - retainedDepth: prune shares deeper than this below the tip (tests; `retention` wins).
    ///   - now: Unix-seconds clock for the future-drift rule. The wall clock is injected here,
    ///     at the service edge, and only for that policy (a share too far ahead is held off, not
    ///     judged invalid: `ShareRuleError.timestampTooFarInFuture`, no penalty); the pure
    ///     `Sharechain` rules take `now` as an argument and read no clock themselves.
    ///   - signatureHelperThreads: threads that check a received run's signatures ahead of the
    ///     chain rules (`submit(_:from:)` with several shares); default one per extra core, 0: none.
    ///   - onEvent: told of every accepted, refused and pruned share as it happens (metrics).
    public init(parameters: SharechainParameters, store: any ShareStore, orphanCapacity: Int = 4096,
                orphanQuota: Int? = nil, retention: RetentionPolicy? = nil, retainedDepth: UInt32? = nil,
                now: @escaping @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) },  // wall clock: future-drift policy only (not a validity rule), see the parameter note above
                bitcoinParents: (any BitcoinParentResolver)? = nil,
                signatureHelperThreads: Int = SignatureBatch.defaultHelperThreads,
                logger: Logger = Logger(label: "tidepool.chain", factory: { _ in SwiftLogNoOpLogHandler() }),
                onEvent: @escaping @Sendable (ShareChainEvent) -> Void = { _ in }) throws {
        self.bitcoinParents = bitcoinParents
        signatureChecker = signatureHelperThreads > 0 ? SignatureChecker(helperThreads: signatureHelperThreads) : nil
        self.onEvent = onEvent
        self.logger = logger
        let state = try store.pruneState()
        let started = ContinuousClock.now
        chain = try Sharechain.replay(parameters: parameters, from: store, progress: { done, total in
            let elapsed = (ContinuousClock.now - started).components
            let nanoseconds = elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000
            logger.info("\(ReplayProgress(done: done, total: total, elapsedNanoseconds: UInt64(max(0, nanoseconds))))")
        })
        self.store = store
        orphans = OrphanPool(capacity: orphanCapacity, perSourceQuota: orphanQuota)
        self.retention = retention
        self.retainedDepth = retainedDepth
        var reference = state?.referenceCapacity ?? .zero
        if let tip = chain.bestTip, let share = try? store.share(tip) {
            reference = max(reference, Self.windowCapacity(of: share, parameters: parameters))
        }
        referenceCapacity = reference
        clock = now
        (tipChanges, tipContinuation) = AsyncStream.makeStream(of: ShareHash.self, bufferingPolicy: .bufferingNewest(1))
        (localAcceptances, localContinuation) = AsyncStream.makeStream(
            of: LocalAcceptance.self, bufferingPolicy: .bufferingNewest(Self.localAcceptanceBuffer))
        if let tip = chain.bestTip { path.move(to: tip, in: chain.index) }
        if let state {
            // Finish a prune a crash interrupted (a no-op when nothing is left below the root).
            let store = store
            storePruning = Task.detached { _ = try? store.prune(to: state) }
        }
        onEvent(.stored(count: chain.index.count))
        if let best = chain.best { onEvent(.newTip(height: best.height)) }
    }

    /// `Z = multiplier × work(Bitcoin target)` of a share (zero when its bits do not decode).
    static func windowCapacity(of share: WireShare, parameters: SharechainParameters) -> UInt256 {
        guard let target = try? share.bitcoinHeader.bits.target(),
              let z = try? Tides.windowCapacity(networkTarget: target, multiplier: parameters.tides.windowMultiplier)
        else { return .zero }
        return z
    }

    /// What the node retains: shares indexed, work of the retained best chain, and the root.
    public func retentionStatus() -> RetentionStatus {
        RetentionStatus(shares: chain.index.count, work: chain.retainedWork, lowestHeight: chain.index.lowestHeight,
                        referenceCapacity: referenceCapacity, root: chain.root)
    }

    /// The root of the retained chain, nil while it is kept from the first share.
    public func chainRoot() async -> ChainRoot? { chain.root }

    /// Starts an empty chain at `root`, received from peers (Docs/PROTOCOL-P2P.md, "Sync
    /// from pruned peers"), records it in the store (a `PruneState` marked as adopted), and
    /// accepts the root share if it already waits among the orphans. Returns false when the
    /// chain is not empty or the store refuses the record.
    public func adoptRoot(_ root: ChainRoot) async -> Bool {
        guard chain.index.count == 0, chain.root == nil else { return false }
        do {
            _ = try store.prune(to: PruneState(root: root, referenceCapacity: referenceCapacity, adoptedFromPeers: true))
        } catch {
            logger.warning("could not record the adopted chain root: \(error)")
            return false
        }
        chain.adopt(root: root)
        logger.info("adopted chain root from peers", metadata: [
            "height": "\(root.height)", "hash": "\(root.hash)", "anchor": "\(root.anchorTimestamp)",
            "base chain work": "\(root.baseChainWork)",
        ])
        // The root share may have arrived first and wait as an orphan — anywhere in the pool:
        // a sync round before the adoption may have delivered it with its ancestors and
        // descendants, so its own parent can be an orphan too. Accepting it releases its
        // descendants.
        for orphan in orphans.take(root.hash) {
            if case .accepted = await submit(orphan.share, from: PeerID(rawValue: orphan.source)) { break }
        }
        return true
    }

    /// Shares accepted since the adopted root whose payouts could not be checked (their
    /// window reaches below the root): the trusted part of a sync from pruned peers.
    public var unverifiedPayoutShares: Int { chain.unverifiedPayoutShares }

    /// Waits until the store has finished every prune started so far (tests, shutdown).
    public func waitForPruning() async {
        await storePruning?.value
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

    /// Shares submitted by the node itself (`PeerID.local`) and accepted, as they happen;
    /// the newest `localAcceptanceBuffer` wait while nobody reads (one reader: the peer network).
    public nonisolated let localAcceptances: AsyncStream<LocalAcceptance>
    private let localContinuation: AsyncStream<LocalAcceptance>.Continuation
    /// Local acceptances buffered for a slow reader (minutes of local shares).
    public static let localAcceptanceBuffer = 1024

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
        let outcome = await judge(share, from: peer, local: local)
        if peer == .local, case .accepted(let newTip, let adopted) = outcome {
            localContinuation.yield(LocalAcceptance(adopted: adopted, newTip: newTip))
        }
        return outcome
    }

    private func judge(_ share: WireShare, from peer: PeerID, local: Bool,
                       signatureVerdict: (() -> Bool)? = nil) async -> SubmitOutcome {
        if orphans.contains(share) {
            onEvent(.duplicate(local: local))
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
        return submit(share, check: check, from: peer, local: local, signatureVerdict: signatureVerdict)
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
        knownParents.insert(block, value: check)
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

    private func submit(_ share: WireShare, check: BitcoinParentCheck?, from peer: PeerID, local: Bool,
                        signatureVerdict: (() -> Bool)? = nil) -> SubmitOutcome {
        switch chain.precheck(share) {
        case .duplicate?:
            onEvent(.duplicate(local: local))
            return .duplicate
        case .orphan(let parent)?:
            if chain.rootAdoptedFromPeers, chain.index.count == 0, share.hash == chain.root?.hash {
                return acceptRoot(share, from: peer, local: local)
            }
            // Held in memory until the parent arrives: it must carry real work first.
            do { try chain.checkWithoutParent(share, now: clock()) } catch {
                onEvent(.refused(error, local: local))
                return .rejected(error)
            }
            if orphans.add(share, source: peer.rawValue) == .duplicate {
                onEvent(.duplicate(local: local))
                return .duplicate
            }
            onEvent(.orphaned(local: local))
            return .orphan(missingParent: parent)
        default:
            break
        }
        do {
            let validated = try chain.validate(share, now: clock(), bitcoinParent: check,
                                               signatureVerdict: signatureVerdict)
            if let failure = commit(validated, local: local) { return failure }
            var adopted = [share.hash]
            var newTip = chain.bestTip == share.hash ? share.hash : nil
            releaseOrphans(of: share.hash, adopted: &adopted, newTip: &newTip)
            return .accepted(newTip: newTip, adopted: adopted)
        } catch .unknownBitcoinBlock(let block) {
            hold(share)
            onEvent(.refused(.unknownBitcoinBlock(block), local: local))
            return .rejected(.unknownBitcoinBlock(block))
        } catch {
            onEvent(.refused(error, local: local))
            return .rejected(error)
        }
    }

    /// The share an adopted root names: checked without its (pruned) parent, then stored.
    private func acceptRoot(_ share: WireShare, from peer: PeerID, local: Bool) -> SubmitOutcome {
        let validated: ValidatedShare
        do { validated = try chain.validateRoot(share, now: clock()) } catch {
            onEvent(.refused(error, local: local))
            return .rejected(error)
        }
        if let failure = commit(validated, local: local) { return failure }
        logger.info("accepted the adopted root share \(share.hash) at height \(share.header.height)")
        var adopted = [share.hash]
        var newTip = chain.bestTip == share.hash ? share.hash : nil
        releaseOrphans(of: share.hash, adopted: &adopted, newTip: &newTip)
        return .accepted(newTip: newTip, adopted: adopted)
    }

    /// Starts checking the signatures of a run that just arrived from the network, on the
    /// helper threads, before this actor reaches it: called on the receiving thread. A later
    /// `submit(_:from:)` of the same run uses the verdicts found meanwhile (runs shorter than
    /// `signatureBatchMinimum`, or with no helper thread, are left alone).
    public nonisolated func prepareSignatures(_ shares: [WireShare]) {
        guard shares.count >= Self.signatureBatchMinimum, let signatureChecker else { return }
        signatureChecker.prepare(shares)
    }

    /// Validates and accepts a run of shares in order (a `shares` message: sync and gossip).
    /// With `signatureBatchMinimum` shares or more and a spare core, their Ed25519 signatures are checked
    /// ahead on helper threads (`SignatureChecker`, from `prepareSignatures(_:)` on if it was
    /// called) while this actor applies the chain rules in order; each share is still stored
    /// before it is indexed, one by one, and every outcome is the one `submit(_:from:)` gives
    /// (a verdict is a pure function of the share).
    public func submit(_ shares: [WireShare], from peer: PeerID) async -> [SubmitOutcome] {
        var outcomes: [SubmitOutcome] = []
        outcomes.reserveCapacity(shares.count)
        guard shares.count >= Self.signatureBatchMinimum, peer != .local, let signatureChecker else {
            for share in shares { outcomes.append(await submit(share, from: peer)) }
            return outcomes
        }
        let signatures = signatureChecker.batch(for: shares)
        defer { signatures.cancel() }
        for (i, share) in shares.enumerated() {
            outcomes.append(await judge(share, from: peer, local: peer == .local,
                                        signatureVerdict: { signatures.verdict(at: i) }))
        }
        return outcomes
    }

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
        if retention != nil {
            let z = Self.windowCapacity(of: v.share, parameters: chain.parameters)
            if z > referenceCapacity { referenceCapacity = z }
        }
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
            // Another variant with this hash may have been accepted: a duplicate, no fault.
            guard chain.precheck(child) == nil else {
                onEvent(.duplicate(local: false))
                continue
            }
            let validated: ValidatedShare
            do {
                validated = try chain.validate(child, now: clock(), bitcoinParent: check)
            } catch {
                onEvent(.refused(error, local: false))
                // A broken rule is charged to the peer that sent this copy.
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

    /// Prunes when the policy allows a batch: checked every `min(batchShares, 100)` accepted
    /// shares. The index shrinks here (O(retained shares), once per batch); the store deletes
    /// off the actor in small write batches, after recording the new root.
    private func prune() {
        if let retention {
            sharesSincePruneCheck += 1
            guard sharesSincePruneCheck >= min(Int(retention.batchShares), 100) else { return }
            sharesSincePruneCheck = 0
            guard let height = chain.pruneHeight(policy: retention, referenceCapacity: referenceCapacity) else { return }
            prune(below: height)
        } else if let depth = retainedDepth, let best = chain.best,
                  best.height > chain.index.lowestHeight + depth + 1000 {
            prune(below: best.height - depth)
        }
    }

    private func prune(below height: UInt32) {
        let before = chain.index.count
        guard let root = chain.prune(belowHeight: height) else { return }
        path.prune(belowHeight: height)
        let state = PruneState(root: root, referenceCapacity: referenceCapacity)
        let removed = before - chain.index.count
        onEvent(.pruned(count: removed))
        logger.info("pruned sharechain", metadata: [
            "below height": "\(height)", "removed": "\(removed)", "retained shares": "\(chain.index.count)",
            "retained work": "\(chain.retainedWork)", "window shares": "\(chain.windowShareCount)",
        ])
        let store = self.store, logger = self.logger, previous = storePruning
        storePruning = Task.detached {
            await previous?.value
            do { _ = try store.prune(to: state) } catch {
                // The index is pruned already; the store keeps extra shares until the next prune.
                logger.warning("store prune failed: \(error)")
            }
        }
    }
}
