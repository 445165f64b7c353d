import BitcoinPrimitives
import Foundation
import NIOCore
import NIOPosix
import PeerProtocol
import Sharechain
import SharechainService

extension PeerManager {
    // MARK: Listening and dialing

    func bind() async throws {
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in acceptInbound(channel) }
            .bind(host: configuration.listenHost, port: configuration.listenPort)
            .get()
        serverChannel = server
        let port = UInt16(server.localAddress?.port ?? 0)
        shared.state.withLockedValue { $0.listenPort = port }
        selfAddresses.insert("\(configuration.listenHost):\(port)")
        logger.info("p2p listening on \(configuration.listenHost):\(port)")
    }

    /// Admits an accepted socket (on its event loop). Banned addresses are closed at once;
    /// past the per-IP or per-group cap, or with a full table where every peer is
    /// protected, the socket gets `reject` 7 and is closed; with a full table otherwise, the
    /// worst inbound peer (`InboundEviction`) is sent `reject` 7 and closed to make room.
    nonisolated func acceptInbound(_ channel: Channel) -> EventLoopFuture<Void> {
        let host = PeerHost.canonical(channel.remoteAddress?.ipAddress ?? "unknown")
        let group = PeerHost.group(host)
        let config = configuration
        let capped = !(config.loopbackExemptFromCaps && PeerHost.isLoopback(host))
        enum Admission { case accepted(PeerID, evicting: Channel?), banned, refused(String) }
        let admission: Admission = shared.state.withLockedValue { s in
            let now = NIODeadline.now()
            if s.bans.isBanned(host, now: now) { return .banned }
            if capped && s.inbound.count(host: host) >= config.inboundPerIP {
                return .refused("too many connections from \(host)")
            }
            if capped && s.inbound.count(group: group) >= config.inboundPerGroup {
                return .refused("too many connections from \(group)")
            }
            var evicting: Channel?
            if s.inbound.active >= config.inboundCap {
                guard let pick = s.inbound.evict(protectByShares: config.evictionProtectedByShares,
                                                 protectByPingTime: config.evictionProtectedByPingTime) else {
                    return .refused("inbound connections full")
                }
                evicting = pick.1
            }
            s.nextID += 1
            let id = PeerID(rawValue: s.nextID - 1)
            s.inbound.insert(id, .init(host: host, group: group, connectedAt: now, channel: channel))
            return .accepted(id, evicting: evicting)
        }
        let magic = NetworkMagic(network: config.parameters.network)
        switch admission {
        case .banned:
            return channel.close()
        case .refused(let why):
            let frame = PeerMessage.reject(RejectMessage(code: .tooManyPeers, reason: why)).frame(magic: magic)
            channel.writeAndFlush(ByteBuffer(bytes: frame)).whenComplete { _ in channel.close(promise: nil) }
            return channel.eventLoop.makeSucceededVoidFuture()
        case .accepted(let id, let evicting):
            evicting?.triggerUserOutboundEvent(
                PeerCommand.disconnect(.requested("evicted for a new inbound peer"),
                                       reject: RejectMessage(code: .tooManyPeers, reason: "evicted: inbound connections full")),
                promise: nil)
            let machine = makeMachine(.inbound)
            let sink = self.sink
            let events = connectionEvents()
            let backlog = PeerBacklog()
            return channel.eventLoop.makeCompletedFuture {
                try PeerPipeline.configure(channel, id: id, machine: machine, backlog: backlog, sink: events)
                sink.yield(.opened(id, channel, .inbound, remoteHost: host, dialed: nil, backlog: backlog))
            }
        }
    }

    nonisolated func makeMachine(_ direction: PeerStateMachine.Direction) -> PeerStateMachine {
        let (tip, port) = shared.state.withLockedValue { ($0.tip, $0.listenPort) }
        var rng = SystemRandomNumberGenerator()
        let nonce = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let version = VersionMessage(
            consensusID: configuration.parameters.consensusID, bestTip: tip?.hash ?? .none,
            bestHeight: tip?.height ?? 0, chainWork: tip?.work ?? .zero, listenPort: port,
            userAgent: configuration.userAgent, nodeKey: key.publicKey, nonce: nonce)
        return PeerStateMachine(direction: direction,
                                local: .init(parameters: configuration.parameters, key: key, version: version),
                                timings: configuration.timings)
    }

    func dial(_ address: PeerAddress) {
        let k = Self.key(address)
        connecting.insert(k)
        let id = shared.state.withLockedValue { s -> PeerID in
            s.nextID += 1
            return PeerID(rawValue: s.nextID - 1)
        }
        let machine = makeMachine(.outbound)
        let sink = self.sink
        let events = connectionEvents()
        let backlog = PeerBacklog()
        let future = ClientBootstrap(group: group)
            .connectTimeout(.seconds(3))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try PeerPipeline.configure(channel, id: id, machine: machine, backlog: backlog, sink: events)
                    sink.yield(.opened(id, channel, .outbound, remoteHost: address.host, dialed: address, backlog: backlog))
                }
            }
            .connect(host: address.host, port: Int(address.port))
        // A failed dial comes back through the event stream like everything else.
        future.whenFailure { error in sink.yield(.dialFailed(id, address, error)) }
    }

    func dialFailed(_ id: PeerID, _ address: PeerAddress, _ error: any Error) {
        logger.debug("dial \(address) failed: \(error)")
        if slots.removeValue(forKey: id) == nil { failedDials.insert(id) }
        retryLater(address)
    }

    /// Schedules the next attempt with exponential backoff (once per failure).
    func retryLater(_ address: PeerAddress) {
        let k = Self.key(address)
        guard connecting.remove(k) != nil else { return }
        guard var d = dials[k] else { return }
        d.attempts += 1
        if !d.isStatic && d.attempts >= OutboundSelection.maximumFailures {
            // A gossip-learned address that keeps failing leaves the book (static
            // `--peer` addresses are retried forever).
            dials[k] = nil
            forgotten.append(address)
            logger.debug("forgetting \(address): \(d.attempts) failed connections in a row")
            return
        }
        let base = configuration.reconnectBase.nanoseconds
        let delay = min(configuration.reconnectCap.nanoseconds, base << Int64(min(d.attempts - 1, 20)))
        d.nextAttempt = .now() + .nanoseconds(delay)
        dials[k] = d
    }

    var outboundCount: Int {
        connecting.count + slots.values.count { $0.direction == .outbound }
    }

    func isConnected(_ k: String) -> Bool {
        connecting.contains(k) || slots.values.contains { $0.dialed.map(Self.key) == k }
    }

    func maintainDials(now: NIODeadline) {
        for (k, d) in dials where d.isStatic && !isConnected(k) && now >= d.nextAttempt && !isBanned(d.address.host) {
            dial(d.address)
        }
    }

    /// Fills the outbound slots from the address book (`OutboundSelection`: the anchors of
    /// the last shutdown first, then tried and new addresses alternately in random order,
    /// one connection per network group, failing addresses forgotten).
    func maintainGossipDials(now: NIODeadline) async {
        for address in forgotten { await addressStore.remove(address) }
        forgotten.removeAll()
        guard outboundCount < configuration.outboundTarget else { return }
        let selection = OutboundSelection(allowPrivateAddresses: configuration.allowPrivateAddresses)
        var rng = SystemRandomNumberGenerator()
        let excluded: (PeerAddress) -> Bool = { a in
            let k = Self.key(a)
            return a.port == 0 || self.isConnected(k) || self.selfAddresses.contains(k) || self.isBanned(a.host)
                || (self.dials[k].map { now < $0.nextAttempt } ?? false)
        }
        var ordered: [PeerAddress]
        if let anchors = pendingAnchors {
            pendingAnchors = nil
            ordered = selection.order(anchors, busyGroups: outboundGroups(selection), excluded: excluded, using: &rng)
            if !ordered.isEmpty { logger.info("dialing \(ordered.count) anchor peers of the last run first") }
        } else {
            let candidates = await addressStore.candidates(limit: OutboundSelection.candidatesPerTable)
            ordered = selection.order(tried: candidates.tried, new: candidates.new, busyGroups: outboundGroups(selection),
                                      excluded: excluded, using: &rng)
        }
        for a in ordered where outboundCount < configuration.outboundTarget {
            let k = Self.key(a)
            if dials[k] == nil { dials[k] = DialState(address: a, isStatic: false) }
            dial(a)
        }
    }

    /// Network groups of the outbound connections and dials under way that count toward
    /// the one-per-group rule.
    func outboundGroups(_ selection: OutboundSelection) -> Set<String> {
        var hosts = slots.values.filter { $0.direction == .outbound }.map(\.host)
        hosts += connecting.compactMap { dials[$0]?.address.host }
        return Set(hosts.filter(selection.isGroupLimited).map(PeerHost.group))
    }

    // MARK: Connection events

    /// Where a connection's handler sends its events (on its event loop): into the manager's
    /// stream, and a received run of shares to the chain at once as well, so its signatures
    /// are checked on spare cores while the manager and the chain work on what came before.
    nonisolated func connectionEvents() -> @Sendable (PeerEvent) -> Void {
        let sink = self.sink, chain = self.chain
        return { event in
            if case .message(_, .shares(let message)) = event { chain.prepareSignatures(message.shares) }
            sink.yield(event)
        }
    }

    func consumeEvents() async {
        for await event in events {
            await handle(event)
        }
    }

    func handle(_ event: PeerEvent) async {
        switch event {
        case .opened(let id, let channel, let direction, let host, let dialed, let backlog):
            if failedDials.remove(id) != nil { return }
            slots[id] = Slot(id: id, channel: channel, direction: direction, host: PeerHost.canonical(host), dialed: dialed,
                             backlog: backlog)
            if direction == .inbound { carryMisbehaviour(to: id) }
        case .pingTime(let id, let rtt):
            if slots[id]?.direction == .inbound { shared.state.withLockedValue { $0.inbound.setPingTime(id, rtt) } }
        case .scored(let id, let points):
            if let host = slots[id]?.host { shared.state.withLockedValue { $0.ledger.record(host, points: points, now: .now()) } }
        case .established(let id, let version):
            await established(id, version)
        case .message(let id, let message):
            await handleMessage(message, from: id)
            // Backpressure: the connection paused reading at `PeerBacklog.pauseAt` handed-over
            // messages; resume it once the manager has worked them down.
            if let slot = slots[id], slot.backlog.handled() == PeerBacklog.resumeAt {
                slot.channel.triggerUserOutboundEvent(PeerCommand.resumeReading, promise: nil)
            }
        case .dialFailed(let id, let address, let error):
            dialFailed(id, address, error)
        case .closed(let id, let reason, let ban):
            await closed(id, reason, ban: ban)
        }
    }

    /// Applies the points the connection's address carries from earlier connections.
    func carryMisbehaviour(to id: PeerID) {
        guard let slot = slots[id] else { return }
        let points = shared.state.withLockedValue { $0.ledger.points(slot.host, now: .now()) }
        if points > 0 {
            slot.channel.triggerUserOutboundEvent(
                PeerCommand.penalize(points, reason: "\(points) points carried over from earlier connections of \(slot.host)"),
                promise: nil)
        }
    }

    func established(_ id: PeerID, _ version: VersionMessage) async {
        guard var slot = slots[id] else { return }
        if slot.direction == .outbound, let ip = slot.channel.remoteAddress?.ipAddress {
            // Bans and scores follow the IP the name resolved to, not the name.
            slot.host = PeerHost.canonical(ip)
            slots[id] = slot
            if isBanned(slot.host) {
                slot.channel.triggerUserOutboundEvent(
                    PeerCommand.disconnect(.requested("\(slot.host) is banned"),
                                           reject: RejectMessage(code: .banned, reason: "banned")), promise: nil)
                return
            }
            carryMisbehaviour(to: id)
        }
        if slots.values.contains(where: { $0.version?.nodeKey == version.nodeKey }) {
            slot.channel.triggerUserOutboundEvent(
                PeerCommand.disconnect(.requested("duplicate connection"),
                                       reject: RejectMessage(code: .duplicateConnection, reason: "already connected")),
                promise: nil)
            return
        }
        slot.version = version
        slots[id] = slot
        configuration.onPeerCountChange?(peerCount)
        let wall = PeerManager.unixTime()
        if let dialed = slot.dialed {
            let k = Self.key(dialed)
            connecting.remove(k)
            dials[k]?.attempts = 0
            await addressStore.markTried(PeerAddress(host: dialed.host, port: dialed.port, lastSeen: wall), now: wall)
            send(.getaddr, to: id)
        } else if version.listenPort != 0, let host = admissibleHost(slot.host) {
            await addressStore.add([PeerAddress(host: host, port: version.listenPort, lastSeen: wall)])
        }
        logger.info("\(id) established (\(slot.direction), \(slot.host), \(version.userAgent), height \(version.bestHeight))")
        let tip = await chain.bestTip()
        let ours = tip?.work ?? .zero
        // Announce our tip to the new peer (PROTOCOL-P2P.md §handshake): a share accepted while
        // the handshake was in flight was announced to established peers only, and the
        // peer's `version` already carried our older chain work, so without this it would
        // wait for the next share to learn about it.
        if let tip, tip.work > version.chainWork { send(.inv(InvMessage(hashes: [tip.hash])), to: id) }
        if version.chainWork > ours {
            if sync.isIdle { await beginSync(with: id, continuingAfter: nil) }
        } else {
            syncedWith.insert(id)
            if sync.isIdle { markSynced("peer \(id) is not ahead") }
        }
    }

    func closed(_ id: PeerID, _ reason: CloseReason, ban: Bool) async {
        guard let slot = slots.removeValue(forKey: id) else { return }
        if slot.version != nil { configuration.onPeerCountChange?(peerCount) }
        syncedWith.remove(id)
        rootAnswers[id] = nil
        let host = slot.host
        let duration = configuration.banDuration
        shared.state.withLockedValue { s in
            if slot.direction == .inbound { s.inbound.remove(id) }
            if ban {
                s.bans.ban(host, until: .now() + duration)
                s.ledger.forget(host)
            }
        }
        if ban {
            // A ban is of the address: its other connections go too, and it survives restarts.
            for other in slots.values where other.host == host {
                other.channel.triggerUserOutboundEvent(
                    PeerCommand.disconnect(.requested("\(host) banned"), reject: RejectMessage(code: .banned, reason: "banned")),
                    promise: nil)
            }
        }
        if reason == .selfConnection, let dialed = slot.dialed { selfAddresses.insert(Self.key(dialed)) }
        logger.info("\(id) closed (\(host)): \(reason)\(ban ? ", banned" : "")")
        if let dialed = slot.dialed {
            if !connecting.contains(Self.key(dialed)) { connecting.insert(Self.key(dialed)) }
            retryLater(dialed)
        }
        if sync.peerGone(id) { logger.info("sync round with \(id) aborted") }
        requestGossip(gossip.peerGone(id, isConnected: isEstablished, now: .now(),
                                      timeout: configuration.gossipRequestTimeout))
        if ban {
            await banStore.ban(PeerBan(host: host, until: Self.unixTime() + UInt64(duration.nanoseconds / 1_000_000_000)))
        }
    }

    func shutdown() async {
        // Anchors (Bitcoin Core's anchors.dat): the gossip-chosen outbound peers connected
        // now are dialed first at the next start.
        let anchors = slots.values.filter { $0.direction == .outbound && $0.version != nil }
            .compactMap(\.dialed).filter { dials[Self.key($0)]?.isStatic != true }
            .sorted { Self.key($0) < Self.key($1) }.prefix(OutboundSelection.anchorCount)
        await addressStore.saveAnchors(Array(anchors))
        try? await serverChannel?.close()
        serverChannel = nil
        for slot in slots.values { try? await slot.channel.close() }
        slots = [:]
        configuration.onPeerCountChange?(0)
    }

    static func unixTime() -> UInt64 { UInt64(Date().timeIntervalSince1970) }

    /// Restores the bans of `banStore` that are still in force.
    func loadBans() async {
        let now = Self.unixTime()
        let live = await banStore.bans().filter { $0.until > now }
        shared.state.withLockedValue { s in
            for b in live { s.bans.ban(b.host, until: .now() + .seconds(Int64(clamping: b.until - now))) }
        }
        if !live.isEmpty { logger.info("\(live.count) bans restored") }
    }
}
