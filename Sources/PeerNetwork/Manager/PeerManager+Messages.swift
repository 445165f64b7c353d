import BitcoinPrimitives
import NIOCore
import PeerProtocol
import Sharechain
import SharechainService

extension PeerManager {
    func handleMessage(_ message: PeerMessage, from id: PeerID) async {
        guard slots[id]?.version != nil else { return }
        switch message {
        case .getaddr:
            // Port-0 entries are stored bans (`DurablePeerBanStore`), not addresses.
            let list = await addressStore.addresses(limit: AddrMessage.maxCount).filter { $0.port != 0 }
            send(.addr(AddrMessage(addresses: list)), to: id)
        case .addr(let m):
            let now = PeerManager.unixTime()
            // The sender's network group is the entries' source (new table, `AddressTables`).
            let source = slots[id].map { PeerHost.group($0.host) } ?? ""
            await addressStore.add(m.addresses.compactMap { gossiped($0, receivedAt: now) }, source: source)
        case .inv(let m):
            await handleInv(m.hashes, from: id)
        case .getshares(let m):
            let shares = await chain.shares(m.hashes)
            send(.shares(SharesMessage(shares: shares)), to: id)
        case .shares(let m):
            await handleShares(m.shares, from: id)
        case .getlocator(let m):
            let hashes = await chain.hashes(after: m.locator, stop: m.stop, limit: ShareHashesMessage.maxCount)
            send(.sharehashes(ShareHashesMessage(hashes: hashes)), to: id)
        case .sharehashes(let m):
            await handleShareHashes(m.hashes, from: id)
        case .block(let m):
            await handleBlock(m, from: id)
        case .getroot:
            send(.root(RootMessage(root: await chain.chainRoot())), to: id)
        case .root(let m):
            await handleRoot(m.root, from: id)
        case .version, .verack, .ping, .pong, .reject:
            break  // handled by the connection's state machine
        }
    }

    /// A gossiped address as it may enter the address book, or nil: IP literals only (a
    /// DNS name would make us resolve and dial whatever an attacker names), canonical,
    /// port not 0, public unless `allowPrivateAddresses`; `last_seen` is the time of
    /// receipt (never the sender's claim) minus `gossipLastSeenPenalty`, or the claim when older.
    func gossiped(_ a: PeerAddress, receivedAt now: UInt64) -> PeerAddress? {
        guard let host = admissibleHost(a.host), a.port != 0 else { return nil }
        let seen = min(a.lastSeen, now) &- min(min(a.lastSeen, now), configuration.gossipLastSeenPenalty)
        return PeerAddress(host: host, port: a.port, lastSeen: seen)
    }

    /// The canonical IP of `host` if it may enter the address book.
    func admissibleHost(_ host: String) -> String? {
        guard let ip = PeerHost.canonicalIP(host) else { return nil }
        if PeerHost.isNonPublic(ip) && !configuration.allowPrivateAddresses { return nil }
        return ip
    }

    /// Sends `getshares`, remembering whether the answer belongs to the sync. Each hash is
    /// named once: peers charge a `getshares` that repeats a hash.
    func requestShares(_ hashes: [ShareHash], from id: PeerID, sync isSync: Bool) {
        let hashes = hashes.uniqued()
        guard !hashes.isEmpty, var slot = slots[id] else { return }
        slot.shareRequests.append(ShareRequest(isSync: isSync, hashes: hashes))
        slots[id] = slot
        slot.channel.writeAndFlush(PeerMessage.getshares(GetSharesMessage(hashes: hashes)), promise: nil)
    }

    func handleInv(_ hashes: [ShareHash], from id: PeerID) async {
        let unknown = await chain.unknown(hashes.uniqued())
        guard !unknown.isEmpty else { return }
        let ask = gossip.announced(unknown, by: id, now: .now(), timeout: configuration.gossipRequestTimeout)
        requestGossip([id: ask])
    }

    /// Sends gossip `getshares`, in chunks of the message's cap.
    func requestGossip(_ requests: [PeerID: [ShareHash]]) {
        for (peer, hashes) in requests.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            var rest = hashes[...]
            while !rest.isEmpty {
                let chunk = Array(rest.prefix(GetSharesMessage.maxCount))
                rest = rest.dropFirst(chunk.count)
                requestShares(chunk, from: peer, sync: false)
            }
        }
    }

    /// Whether `id` is an established connection.
    func isEstablished(_ id: PeerID) -> Bool { slots[id]?.version != nil }

    func handleShares(_ shares: [WireShare], from id: PeerID) async {
        guard var slot = slots[id] else { return }
        let request = slot.shareRequests.isEmpty ? nil : slot.shareRequests.removeFirst()
        let isSync = request?.isSync ?? false
        slots[id] = slot
        if let request, !isSync {
            // Hashes it was asked for and did not send: ask the next announcer now.
            let got = Set(shares.map(\.hash))
            let missing = request.hashes.filter { !got.contains($0) }
            if !missing.isEmpty {
                requestGossip(gossip.failed(missing, by: id, isConnected: isEstablished, now: .now(),
                                            timeout: configuration.gossipRequestTimeout))
            }
        }
        let outcomes = await chain.submit(shares, from: id)
        var adopted: [ShareHash] = []
        var newTip: ShareHash?
        var sawOrphan = false
        var delivered = Set<ShareHash>()
        var useful = 0
        var invalid: [ShareHash] = []
        for (share, outcome) in zip(shares, outcomes) {
            if case .rejected = outcome {
                invalid.append(share.hash)
            } else {
                delivered.insert(share.hash)
                gossip.received(share.hash)
            }
            switch outcome {
            case .accepted(let tip, let a):
                adopted += a
                useful += 1
                if let tip { newTip = tip }
            case .orphan:
                sawOrphan = true
            case .rejected(let error):
                if case .misbehaving(let points) = error.penalty {
                    penalize(id, points, "share \(share.hash): \(error)")
                }
            case .duplicate:
                break
            case .storeFailure(let reason):
                logger.error("share \(share.hash) not stored: \(reason)")
            }
        }
        if !invalid.isEmpty {
            // An invalid copy does not end the wait for the real share: ask the next announcer.
            requestGossip(gossip.failed(invalid, by: id, isConnected: isEstablished, now: .now(),
                                        timeout: configuration.gossipRequestTimeout))
        }
        if useful > 0, slots[id]?.direction == .inbound {
            shared.state.withLockedValue { $0.inbound.delivered(id, shares: useful) }
        }
        await penalizeOrphanFailures()
        if !adopted.isEmpty {
            await refreshTip()
            // Sync batches announce only the new tip: peers fetch the rest by locator.
            if isSync {
                if let newTip { announce([newTip], except: id) }
            } else {
                announce(adopted, except: id)
            }
        }
        if isSync {
            let now = NIODeadline.now()
            let before = sync.roundDelivered
            sync.sharesReceived(from: id, hashes: delivered, now: now)
            if sync.roundDelivered > before { lastSyncDelivery = now }
            await advanceSync()
        } else if sawOrphan && sync.isIdle {
            await beginSync(with: id, continuingAfter: nil)
        }
    }

    /// Charges the senders of released orphans that turned out invalid.
    func penalizeOrphanFailures() async {
        for f in await chain.takeOrphanFailures() {
            if case .misbehaving(let points) = f.error.penalty {
                penalize(f.peer, points, "orphan \(f.share) failed once its parent arrived: \(f.error)")
            }
        }
    }

    func handleBlock(_ message: BlockMessage, from id: PeerID) async {
        guard markSeen(message.blockHash) else { return }
        guard let header = try? BlockHeader(serialized: Array(message.bytes.prefix(80))),
              let target = try? header.bits.target(), Work.meets(header.hash.rawHash, target: target)
        else {
            penalize(id, 100, "block without valid proof of work")
            return
        }
        // Bound to bitcoind's chain (PROTOCOL.md rule 9b): a block whose bits Bitcoin's rules
        // do not allow is invalid (penalised, dropped); one on a block bitcoind does not know
        // is handed to bitcoind (it may learn the parent) but not relayed.
        switch await chain.bitcoinParentCheck(header.prevBlock) {
        case .known(let rule)? where !rule.allows(header):
            penalize(id, 100, "block \(header.hash) with bits \(header.bits.hex) that Bitcoin's rules do not allow")
            return
        case .unknown?:
            logger.info("block \(header.hash) relayed by \(id) builds on a block bitcoind does not know: submitted, not relayed")
        default:
            logger.info("block \(header.hash) relayed by \(id)")
            broadcast(.block(message), except: id)
        }
        blocks?.submitRelayedBlock(message.bytes)
    }

    /// Records a block hash; false when it was already seen.
    func markSeen(_ hash: BlockHash) -> Bool {
        guard seenBlocks.insert(hash).inserted else { return false }
        seenBlockOrder.append(hash)
        if seenBlockOrder.count > 1024 { seenBlocks.remove(seenBlockOrder.removeFirst()) }
        return true
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each kept at its first occurrence.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
