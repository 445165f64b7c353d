import BitcoinPrimitives
import NIOCore
import PeerProtocol
import Sharechain

extension PeerManager {
    func handleMessage(_ message: PeerMessage, from id: PeerID) async {
        guard slots[id]?.version != nil else { return }
        switch message {
        case .getaddr:
            let list = await addressStore.addresses(limit: AddrMessage.maxCount)
            send(.addr(AddrMessage(addresses: list)), to: id)
        case .addr(let m):
            await addressStore.add(m.addresses.filter { $0.port != 0 && !$0.host.isEmpty })
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
        case .version, .verack, .ping, .pong, .reject:
            break  // handled by the connection's state machine
        }
    }

    /// Sends `getshares`, remembering whether the answer belongs to the sync.
    func requestShares(_ hashes: [ShareHash], from id: PeerID, sync isSync: Bool) {
        guard !hashes.isEmpty, var slot = slots[id] else { return }
        slot.shareRequests.append(isSync)
        slots[id] = slot
        slot.channel.writeAndFlush(PeerMessage.getshares(GetSharesMessage(hashes: hashes)), promise: nil)
    }

    func handleInv(_ hashes: [ShareHash], from id: PeerID) async {
        let now = NIODeadline.now()
        let unknown = await chain.unknown(hashes).filter { requested[$0].map { $0 <= now } ?? true }
        guard !unknown.isEmpty else { return }
        for h in unknown { requested[h] = now + configuration.gossipRequestTimeout }
        var rest = unknown[...]
        while !rest.isEmpty {
            let chunk = Array(rest.prefix(GetSharesMessage.maxCount))
            rest = rest.dropFirst(chunk.count)
            requestShares(chunk, from: id, sync: false)
        }
    }

    func handleShares(_ shares: [WireShare], from id: PeerID) async {
        guard var slot = slots[id] else { return }
        let isSync = slot.shareRequests.isEmpty ? false : slot.shareRequests.removeFirst()
        slots[id] = slot
        let outcomes = await chain.submit(shares, from: id)
        var adopted: [ShareHash] = []
        var newTip: ShareHash?
        var sawOrphan = false
        for (share, outcome) in zip(shares, outcomes) {
            requested[share.hash] = nil
            switch outcome {
            case .accepted(let tip, let a):
                adopted += a
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
            sync.sharesReceived(from: id, hashes: Set(shares.map(\.hash)))
            await advanceSync()
        } else if sawOrphan && sync.isIdle {
            await beginSync(with: id, continuingAfter: nil)
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
        await chain.submitBlock(message.bytes)
    }

    /// Records a block hash; false when it was already seen.
    func markSeen(_ hash: BlockHash) -> Bool {
        guard seenBlocks.insert(hash).inserted else { return false }
        seenBlockOrder.append(hash)
        if seenBlockOrder.count > 1024 { seenBlocks.remove(seenBlockOrder.removeFirst()) }
        return true
    }
}
