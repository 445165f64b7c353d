import BitcoinPrimitives
import NIOCore
import PeerProtocol
import Sharechain

extension PeerManager {
    /// Starts a locator round with `id` (after `continuingAfter` when continuing a full round).
    func beginSync(with id: PeerID, continuingAfter last: ShareHash?) async {
        guard let slot = slots[id], let version = slot.version else { return }
        if last == nil {
            guard sync.isIdle else { return }
            sync.begin(with: id)
        }
        let tip = await chain.bestTip()
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
        let unknown = await chain.unknown(hashes)
        sync.hashesReceived(all: hashes, unknown: unknown, limit: ShareHashesMessage.maxCount)
        await advanceSync()
    }

    /// Hands out batches, or closes the round when everything arrived.
    func advanceSync() async {
        guard let roundPeer = sync.roundPeer, !sync.awaitingHashes else { return }
        if sync.roundComplete {
            if let next = sync.finishRound() {
                await beginSync(with: roundPeer, continuingAfter: next)
            } else {
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
        shared.state.withLock { $0.bans.expire(now: now) }
        requested = requested.filter { $0.value > now }
        maintainDials(now: now)
        await maintainGossipDials(now: now)
        if sync.isIdle {
            let ours = await chain.bestTip()?.work ?? .zero
            let ahead = slots.values.filter { s in
                !syncedWith.contains(s.id) && (s.version.map { $0.chainWork > ours } ?? false)
            }.min { $0.id.rawValue < $1.id.rawValue }
            if let ahead {
                await beginSync(with: ahead.id, continuingAfter: nil)
            } else if now - startedAt >= configuration.syncGracePeriod {
                markSynced(slots.isEmpty ? "no peers after the grace period" : "no peer ahead")
            }
        }
        logProgress(now: now, force: false)
    }

    /// `sync: height H/T (P%), R shares/s, ETA S s`.
    func logProgress(now: NIODeadline, force: Bool) {
        guard let start = syncStart, force || now - lastProgress >= configuration.progressInterval else { return }
        lastProgress = now
        let height = shared.state.withLock { $0.tip?.height ?? 0 }
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
