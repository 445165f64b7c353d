import BitcoinPrimitives
import Ed25519
import Logging
import NIOCore
import NIOPosix
import PeerProtocol
import ServiceLifecycle
import Sharechain
import NIOConcurrencyHelpers
import SharechainService

/// The node's peer-to-peer side, run as a `Service`: listens, dials static and
/// gossip-learned peers, gossips shares and blocks, syncs the sharechain
/// headers-first from several peers, and bans misbehaving addresses.
public actor PeerManager: Service {
    struct Slot {
        let id: PeerID
        let channel: Channel
        let direction: PeerStateMachine.Direction
        /// The remote IP (`PeerHost.canonical`); for outbound connections the dialed name
        /// until the handshake, then the IP it resolved to.
        var host: String
        let dialed: PeerAddress?
        var version: VersionMessage?
        /// Our `getshares` still unanswered, oldest first.
        var shareRequests: [ShareRequest] = []
        /// Messages of this connection handed to the manager and not handled yet.
        let backlog: PeerBacklog

        init(id: PeerID, channel: Channel, direction: PeerStateMachine.Direction, host: String, dialed: PeerAddress?,
             backlog: PeerBacklog) {
            self.id = id
            self.channel = channel
            self.direction = direction
            self.host = host
            self.dialed = dialed
            self.backlog = backlog
        }
    }

    /// One `getshares` this node sent.
    struct ShareRequest {
        /// A sync batch (else gossip).
        var isSync: Bool
        var hashes: [ShareHash]
    }

    struct DialState {
        var address: PeerAddress
        var isStatic: Bool
        var attempts = 0
        var nextAttempt = NIODeadline.uptimeNanoseconds(0)
    }

    /// State read from event-loop threads (inbound admission) and by `isSynced`.
    struct Shared {
        var tip: ChainTip?
        var bans = BanList()
        /// Misbehaviour points per address across reconnects.
        var ledger = MisbehaviourLedger()
        var inbound = InboundTable()
        var nextID: UInt64 = 1
        var synced = false
        var listenPort: UInt16 = 0
    }

    final class SharedBox: Sendable {
        let state = NIOLockedValueBox(Shared())
    }

    let configuration: PeerManagerConfiguration
    let chain: any ShareChainAccess
    let blocks: (any RelayedBlockSink)?
    let addressStore: any PeerAddressStore
    let banStore: any PeerBanStore
    let key: SigningKey
    var logger: Logger
    let group: any EventLoopGroup
    let shared = SharedBox()
    let events: AsyncStream<PeerEvent>
    let sink: AsyncStream<PeerEvent>.Continuation
    /// Yields once, when the initial sync completes (see `syncCompletions`).
    let syncContinuation: AsyncStream<Void>.Continuation

    var slots: [PeerID: Slot] = [:]
    var dials: [String: DialState] = [:]
    var connecting: Set<String> = []
    var failedDials: Set<PeerID> = []
    var selfAddresses: Set<String> = []
    /// Gossip-learned addresses that failed `OutboundSelection.maximumFailures` dials in a
    /// row, to remove from the address book at the next maintenance.
    var forgotten: [PeerAddress] = []
    /// The anchors of the last shutdown, dialed at the first outbound maintenance.
    var pendingAnchors: [PeerAddress]?
    var sync = SyncCoordinator()
    var syncedWith: Set<PeerID> = []
    /// Roots peers answered to `getroot` while our chain was empty (one per connected peer).
    var rootAnswers: [PeerID: ChainRoot?] = [:]
    /// Node keys not chosen for sync until the deadline (stalled or overclaiming rounds).
    var syncExcluded: [PublicKey: NIODeadline] = [:]
    /// When sync last delivered a new share (or started).
    var lastSyncDelivery = NIODeadline.now()
    var gossip = GossipRequests()
    /// Blocks relayed recently (each is relayed and submitted once).
    var seenBlocks = RecentSet<BlockHash>(capacity: 1024)
    var startedAt = NIODeadline.now()
    var syncStart: (time: NIODeadline, height: UInt32, target: UInt32)?
    var lastProgress = NIODeadline.now()
    var serverChannel: Channel?

    /// - Parameters:
    ///   - chain: the node's sharechain (`LocalShareChain` in-process); the manager announces
    ///     the shares it accepts from the node itself (`localAcceptances`).
    ///   - blocks: receives the full blocks peers relay (the node's bitcoind).
    ///   - addressStore: the address book (`MemoryPeerAddressStore` or a durable one).
    ///   - banStore: where bans survive restarts (`MemoryPeerBanStore`, or PeerStore's `DurablePeerBanStore`).
    ///   - key: the node key proven in handshakes.
    ///   - group: event loops for sockets.
    public init(configuration: PeerManagerConfiguration, chain: any ShareChainAccess,
                blocks: (any RelayedBlockSink)? = nil, addressStore: any PeerAddressStore, banStore: any PeerBanStore = MemoryPeerBanStore(),
                key: SigningKey, logger: Logger = Logger(label: "tidepool.p2p"),
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.chain = chain
        self.blocks = blocks
        self.addressStore = addressStore
        self.banStore = banStore
        self.key = key
        self.logger = logger
        self.group = group
        (events, sink) = AsyncStream<PeerEvent>.makeStream()
        (syncCompletions, syncContinuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        for a in configuration.staticPeers {
            dials[Self.key(a)] = DialState(address: a, isStatic: true)
        }
    }

    // MARK: Public interface

    /// Whether the initial sync is done (latched): the Stratum side serves work only then.
    public nonisolated var isSynced: Bool { shared.state.withLockedValue { $0.synced } }

    /// Yields once, the moment the initial sync completes, then finishes: the node
    /// hands work to the miners that connected while it was syncing.
    public nonisolated let syncCompletions: AsyncStream<Void>

    /// Runs until cancelled or gracefully shut down.
    public func run() async throws {
        startedAt = .now()
        await loadBans()
        let anchors = await addressStore.takeAnchors()
        pendingAnchors = anchors.isEmpty ? nil : anchors
        await refreshTip()
        if configuration.listen { try await bind() }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.consumeEvents() }
                group.addTask { await self.maintenanceLoop() }
                group.addTask { await self.announceLocalAcceptances() }
            }
        }
        await shutdown()
    }

    /// The bound listening port, waiting up to `timeout` for `run()` to bind.
    public func listeningPort(timeout: Duration = .seconds(60)) async throws -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let port = shared.state.withLockedValue { $0.listenPort }
            if port != 0 { return Int(port) }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw PeerManagerError.notListening
    }

    /// Adds a static peer (dialed now and after every disconnect).
    public func addPeer(_ address: PeerAddress) {
        dials[Self.key(address)] = DialState(address: address, isStatic: true)
        maintainDials(now: .now())
    }

    /// Stops dialing `address` and closes connections dialed to it.
    public func removePeer(_ address: PeerAddress) {
        let k = Self.key(address)
        dials[k] = nil
        for slot in slots.values where slot.dialed.map(Self.key) == k {
            slot.channel.triggerUserOutboundEvent(PeerCommand.disconnect(.requested("peer removed"), reject: nil),
                                                  promise: nil)
        }
    }

    /// Announces the shares the node itself submitted to its chain (its miners' shares,
    /// held shares accepted on a retry) as the chain accepts them.
    func announceLocalAcceptances() async {
        for await acceptance in chain.localAcceptances {
            await refreshTip()
            announce(acceptance.adopted, except: .local)
        }
    }

    /// Relays a full block this node found to every peer.
    public func relayBlock(_ bytes: [UInt8]) {
        let message = BlockMessage(bytes: bytes)
        guard markSeen(message.blockHash) else { return }
        broadcast(.block(message), except: .local)
    }

    /// Established connections.
    public var peerCount: Int { slots.values.count { $0.version != nil } }

    /// A connection as the API reports it.
    public struct ConnectedPeer: Sendable, Equatable {
        public var id: PeerID
        public var host: String
        public var inbound: Bool
        public var nodeKey: PublicKey
        public var userAgent: String
        public var bestHeight: UInt32
    }

    /// Established connections, by id.
    public func connectedPeers() -> [ConnectedPeer] {
        slots.values.compactMap { s in
            s.version.map { ConnectedPeer(id: s.id, host: s.host, inbound: s.direction == .inbound, nodeKey: $0.nodeKey,
                                          userAgent: $0.userAgent, bestHeight: $0.bestHeight) }
        }.sorted { $0.id.rawValue < $1.id.rawValue }
    }

    /// Whether `host` is banned now (any spelling of the IP).
    public nonisolated func isBanned(_ host: String) -> Bool {
        shared.state.withLockedValue { $0.bans.isBanned(host, now: .now()) }
    }

    /// Misbehaviour points `host` carries into its next connection.
    public nonisolated func misbehaviourPoints(_ host: String) -> Int {
        shared.state.withLockedValue { $0.ledger.points(host, now: .now()) }
    }

    // MARK: Helpers shared by the extensions

    /// The dial key of an address: its `HOST:PORT` (IPv6 in brackets, so `::1` port 80 and
    /// `::1:80` never collide).
    static func key(_ a: PeerAddress) -> String { a.endpoint.description }

    func send(_ message: PeerMessage, to id: PeerID) {
        guard let slot = slots[id] else { return }
        if case .getshares = message { return }  // use requestShares
        slot.channel.writeAndFlush(message, promise: nil)
    }

    func broadcast(_ message: PeerMessage, except source: PeerID) {
        for slot in slots.values where slot.version != nil && slot.id != source {
            slot.channel.writeAndFlush(message, promise: nil)
        }
    }

    func announce(_ hashes: [ShareHash], except source: PeerID) {
        var rest = hashes[...]
        while !rest.isEmpty {
            let chunk = Array(rest.prefix(InvMessage.maxCount))
            rest = rest.dropFirst(chunk.count)
            broadcast(.inv(InvMessage(hashes: chunk)), except: source)
        }
    }

    func penalize(_ id: PeerID, _ points: Int, _ reason: String) {
        logger.info("penalizing \(id): \(points) points, \(reason)")
        slots[id]?.channel.triggerUserOutboundEvent(PeerCommand.penalize(points, reason: reason), promise: nil)
    }

    func refreshTip() async {
        let tip = await chain.bestTip()
        shared.state.withLockedValue { $0.tip = tip }
    }

    func markSynced(_ why: String) {
        let first = shared.state.withLockedValue { s -> Bool in
            defer { s.synced = true }
            return !s.synced
        }
        if first {
            logger.info("synced: \(why)")
            configuration.onSynced?()
            syncContinuation.yield()
            syncContinuation.finish()
        }
    }
}

/// Failures of the manager's own API.
public enum PeerManagerError: Error, Sendable {
    /// `run()` has not bound its listening socket in time.
    case notListening
}
