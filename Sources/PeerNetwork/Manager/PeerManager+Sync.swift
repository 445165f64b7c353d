import BitcoinPrimitives
import NIOCore
import PeerProtocol
import Sharechain
import SharechainService

extension PeerManager {
    /// Starts a locator round with `id` (after `continuingAfter` when continuing a full round).
    func beginSync(with id: PeerID, continuingAfter last: ShareHash?) async {
        guard let slot = slots[id], let version = slot.version else { return }
        if last == nil {
            guard sync.isIdle, isSyncEligible(version, now: .now()) else { return }
            sync.begin(with: id, now: .now())
        }
        let tip = await chain.bestTip()
        if tip == nil, last == nil, await chain.chainRoot() == nil {
            // An empty chain asks every peer for its root first (sync from pruned peers).
            for peer in slots.values where peer.version != nil && rootAnswers[peer.id] == nil {
                send(.getroot(GetRootMessage()), to: peer.id)
            }
        }
        if syncStart == nil {
            syncStart = (NIODeadline.now(), tip?.height ?? 0, max(version.bestHeight, tip?.height ?? 0))
            lastProgress = .now()
            logger.info("sync from \(id): our height \(tip?.height ?? 0), theirs \(version.bestHeight)")
        }
        let locator = (last.map { [$0] } ?? []) + (await chain.locator())
        send(.getlocator(GetShareLocatorMessage(locator: Array(locator.prefix(GetShareLocatorMessage.maxLocatorCount)))),
             to: id)
    }

    func handleShareHashes(_ hashes: [ShareHash], from id: PeerID) async {
        guard sync.roundPeer == id, sync.awaitingHashes else { return }
        let unknown = await chain.unknown(hashes.uniqued())
        sync.hashesReceived(all: hashes, unknown: unknown, limit: ShareHashesMessage.maxCount)
        await advanceSync()
    }

    /// Hands out batches, or closes the round when everything arrived.
    func advanceSync() async {
        guard let roundPeer = sync.roundPeer, !sync.awaitingHashes else { return }
        if sync.roundComplete {
            let deliveredInRound = sync.roundDelivered
            if let next = sync.finishRound() {
                await beginSync(with: roundPeer, continuingAfter: next)
            } else {
                // The round ended short (or delivered nothing new). Compare what the peer
                // claimed in `version` with what we now have: short of it, the peer lied (or
                // withheld), and another peer is asked.
                let ours = await chain.bestTip()?.work ?? .zero
                let claimed = slots[roundPeer]?.version?.chainWork ?? .zero
                if ours < claimed {
                    // Points only when it delivered nothing at all: an honest peer whose shares
                    // we could not all accept yet (held for a Bitcoin block our bitcoind has not
                    // seen) also ends short, and is only passed over.
                    endSyncRound(with: roundPeer, "round ended at chain work \(ours), below the claimed "
                                 + "\(claimed)", penalty: deliveredInRound == 0 ? configuration.syncOverclaimPenalty : 0)
                    return
                }
                syncedWith.insert(roundPeer)
                logProgress(now: .now(), force: true)
                syncStart = nil
                markSynced("sync with \(roundPeer) complete")
            }
            return
        }
        let roundWork = slots[roundPeer]?.version?.chainWork ?? .zero
        let helpers = slots.values
            .filter { $0.id != roundPeer && ($0.version?.chainWork ?? .zero) >= roundWork && $0.version != nil }
            .map(\.id).sorted { $0.rawValue < $1.rawValue }
        for (peer, batch) in sync.assign(eligible: [roundPeer] + helpers, batch: configuration.syncBatchSize,
                                         perPeer: configuration.syncBatchesPerPeer) {
            requestShares(batch, from: peer, sync: true)
        }
    }

    /// A peer's answer to `getroot`. While our chain is empty, the root is adopted when the
    /// peer claiming the most chain work (in `version`) answered with it and it lies at least
    /// N (`maximumForkDepth`) shares below that peer's claimed best height; every share above
    /// it is then checked as it arrives (Docs/PROTOCOL-P2P.md, "Sync from pruned peers").
    func handleRoot(_ root: ChainRoot?, from id: PeerID) async {
        guard slots[id]?.version != nil, await chain.bestTip() == nil, await chain.chainRoot() == nil else { return }
        rootAnswers[id] = .some(root)
        let heaviest = slots.values.compactMap { s in s.version.map { (s.id, $0) } }
            .max { a, b in a.1.chainWork != b.1.chainWork ? a.1.chainWork < b.1.chainWork : a.0.rawValue > b.0.rawValue }
        guard let (peer, version) = heaviest, let answer = rootAnswers[peer], let candidate = answer else { return }
        let depth = configuration.parameters.maximumForkDepth
        guard version.bestHeight >= candidate.height &+ depth, candidate.baseChainWork < version.chainWork else {
            logger.info("""
                root from \(peer) at height \(candidate.height) is not buried under \(depth) shares of its \
                claimed height \(version.bestHeight); not adopted
                """)
            return
        }
        if await chain.adoptRoot(candidate) {
            logger.info("""
                sync: starting from the root of \(peer) (heaviest peer) at height \(candidate.height); \
                payouts of shares whose window reaches below it are trusted, all else is validated
                """)
        }
    }

    /// Whether a peer may be chosen for a sync round: not excluded after a failed one.
    func isSyncEligible(_ version: VersionMessage, now: NIODeadline) -> Bool {
        syncExcluded[version.nodeKey].map { $0 <= now } ?? true
    }

    /// Ends the current round as failed: the peer is not chosen again for
    /// `syncExclusion` (and is penalised by `penalty` points); maintenance picks another.
    func endSyncRound(with peer: PeerID, _ why: String, penalty: Int) {
        sync.reset()
        logger.info("sync round with \(peer) failed: \(why)")
        if let key = slots[peer]?.version?.nodeKey {
            if syncExcluded.count >= 1024 {
                let now = NIODeadline.now()
                syncExcluded = syncExcluded.filter { $0.value > now }
                if syncExcluded.count >= 1024, let first = syncExcluded.min(by: { $0.value < $1.value }) {
                    syncExcluded[first.key] = nil
                }
            }
            syncExcluded[key] = .now() + configuration.syncExclusion
        }
        if penalty > 0 { penalize(peer, penalty, "sync: \(why)") }
    }

    func maintenanceLoop() async {
        let interval = Duration.nanoseconds(configuration.maintenanceInterval.nanoseconds)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            await maintain()
        }
    }

    func maintain() async {
        let now = NIODeadline.now()
        shared.state.withLockedValue { $0.bans.expire(now: now) }
        for (peer, hashes) in gossip.overdue(now: now) {
            requestGossip(gossip.failed(hashes, by: peer, isConnected: isEstablished, now: now,
                                        timeout: configuration.gossipRequestTimeout))
        }
        maintainDials(now: now)
        await maintainGossipDials(now: now)
        syncExcluded = syncExcluded.filter { $0.value > now }
        if let peer = sync.roundPeer, sync.isStalled(now: now, timeout: configuration.syncStallTimeout) {
            endSyncRound(with: peer, "no new share for \(configuration.syncStallTimeout)", penalty: 0)
        }
        if sync.isIdle {
            let ours = await chain.bestTip()?.work ?? .zero
            let ahead = slots.values.filter { s in
                guard let v = s.version else { return false }
                return !syncedWith.contains(s.id) && v.chainWork > ours && isSyncEligible(v, now: now)
            }.min { $0.id.rawValue < $1.id.rawValue }
            if let ahead {
                await beginSync(with: ahead.id, continuingAfter: nil)
            } else if now - startedAt >= configuration.syncGracePeriod {
                markSynced(slots.isEmpty ? "no peers after the grace period" : "no eligible peer ahead")
            }
        }
        // However many peers claim more work, sync that delivers nothing ends in bounded time.
        if now - startedAt >= configuration.syncMaxDuration && now - lastSyncDelivery >= configuration.syncStallTimeout {
            markSynced("no new share from sync for \(configuration.syncStallTimeout) after \(configuration.syncMaxDuration)")
        }
        logProgress(now: now, force: false)
    }

    /// `sync: height H/T (P%), R shares/s, ETA S s`.
    func logProgress(now: NIODeadline, force: Bool) {
        guard let start = syncStart, force || now - lastProgress >= configuration.progressInterval else { return }
        lastProgress = now
        let height = shared.state.withLockedValue { $0.tip?.height ?? 0 }
        let target = max(start.target, height)
        let done = Double(height &- start.height)
        let total = Double(max(1, target &- start.height))
        let seconds = max(0.001, Double((now - start.time).nanoseconds) / 1e9)
        let rate = done / seconds
        let eta = rate > 0 ? Double(target - height) / rate : .infinity
        let percent = min(100, 100 * done / total)
        logger.info("sync: height \(height)/\(target) (\(Int(percent))%), \(Int(rate)) shares/s, ETA \(eta.isFinite ? "\(Int(eta)) s" : "?")")
    }
}
