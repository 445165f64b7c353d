import BitcoinPrimitives
import BitcoinRPC
import Ed25519
import Foundation
import Logging
import NIOCore
import NIOPosix
import NodeAPI
import PeerNetwork
import PeerStore
import Prometheus
import PeerProtocol
import ServiceLifecycle
import Sharechain
import SharechainService
import SharechainStore
import StratumProtocol
import StratumServer
import NIOConcurrencyHelpers

/// The node: store, sharechain, bitcoind client, template watcher, Stratum server,
/// peer network and the mining coordinator, run as one `ServiceGroup` with
/// graceful shutdown on SIGINT/SIGTERM.
public final class TidepoolNode: Sendable {
    public let configuration: NodeConfiguration
    public let chain: LocalShareChain
    public let peers: PeerManager
    public let stratum: StratumServer
    public let coordinator: MiningCoordinator
    public let bitcoind: BitcoinRPCClient
    /// Submits found blocks (ours and peers') over connections of its own.
    public let blockSubmitter: FoundBlockSubmitter
    let submitConnections: [BitcoinRPCClient]
    public let store: LevelDBShareStore
    public let nodeKey: PublicKey
    let watcher: TemplateWatcher
    let logger: Logger
    let group: MultiThreadedEventLoopGroup
    /// The node's Prometheus metrics, bumped where things happen (`NodeMetrics+Events`).
    public let metrics: NodeMetrics

    /// Opens the data directory, replays the sharechain and binds the listening
    /// sockets, so every misconfiguration surfaces here with a clear error.
    public init(configuration: NodeConfiguration, logger: Logger) async throws {
        self.configuration = configuration
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let metrics = NodeMetrics(registry: PrometheusCollectorRegistry())
        self.metrics = metrics
        // Stratum listens first, before the store is opened and replayed: a miner that
        // connects the moment the node starts is kept (not refused and sent into a
        // 30 s retry) and gets work as soon as there is any.
        let work = DeferredStratumWork()
        var stratumConfiguration = StratumServerConfiguration(host: configuration.stratum.host,
                                                              port: configuration.stratum.port,
                                                              network: configuration.network)
        stratumConfiguration.onSubmit = { metrics.recordSubmit(rejected: $0) }
        stratum = StratumServer(configuration: stratumConfiguration,
                                workSource: work, sink: work, logger: logger, group: group)
        do {
            let address = try await stratum.bind()
            logger.info("stratum listening on \(address)")
        } catch {
            throw NodeStartError.cannotListen("stratum", configuration.stratum.description, "\(error)")
        }
        let now = Int64(Date().timeIntervalSince1970)
        let directory: DataDirectory
        do {
            directory = try DataDirectory(path: configuration.dataDirectory, now: now, logger: logger)
        } catch {
            throw NodeStartError.dataDirectory(configuration.dataDirectory, "\(error)")
        }
        store = directory.store
        nodeKey = directory.nodeKey.publicKey
        logger.info("node key \(nodeKey.hex)", metadata: ["datadir": "\(configuration.dataDirectory)"])
        logger.info("network \(configuration.network.rawValue), consensus ID \(configuration.parameters.consensusID)")

        guard let rpc = BitcoinRPCConfiguration(url: configuration.bitcoindURL, credentials: configuration.bitcoindCredentials,
                                                network: configuration.network.bitcoinNetwork) else {
            throw NodeStartError.invalid("--bitcoind-rpc \(configuration.bitcoindURL) is not http://HOST:PORT[/path]")
        }
        let client = BitcoinRPCClient(configuration: rpc, eventLoopGroup: group, logger: logger)
        bitcoind = client

        // Found blocks go to bitcoind over connections used for nothing else, so a
        // block never waits behind template polls (FoundBlockSubmitter).
        let eventLoops = group
        let connections = (0..<FoundBlockSubmitterDefaults.connections).map { _ in
            BitcoinRPCClient(configuration: rpc, eventLoopGroup: eventLoops, logger: logger)
        }
        submitConnections = connections
        let relayTarget = RelayTarget()
        let submitter = FoundBlockSubmitter(connections: connections,
                                            relay: { bytes in await relayTarget.relay(bytes) },
                                            store: directory.store.foundBlocks, logger: logger,
                                            onEvent: { metrics.record($0) })
        blockSubmitter = submitter

        // The chain owner replays the store (logging progress). Retention by work
        // (Docs/PROTOCOL.md §10): fork depth N, then 4 windows of work.
        let chain = try LocalShareChain(parameters: configuration.parameters, store: store,
                                        retention: configuration.retention,
                                        // Shares are bound to bitcoind's chain (Docs/PROTOCOL.md §8 rule 9b); the devnet's
                                        // simulated chain has rules of its own and is not checked.
                                        bitcoinParents: configuration.network == .devnet ? nil
                                            : BitcoindParentRules(source: client, network: configuration.network.bitcoinNetwork,
                                                                  logger: logger),
                                        logger: logger,
                                        onEvent: { metrics.record($0) })
        self.chain = chain
        if let tip = await chain.bestTip() {
            let retained = await chain.retentionStatus()
            logger.info("""
                sharechain tip \(tip.hash) at height \(tip.height); retained \(retained.shares) shares, \
                work \(retained.work), from height \(retained.lowestHeight)
                """)
        } else {
            logger.info("sharechain is empty")
        }

        var peerConfig = PeerManagerConfiguration(parameters: configuration.parameters)
        peerConfig.listenHost = configuration.p2p.host
        peerConfig.listenPort = configuration.p2p.port
        peerConfig.staticPeers = configuration.peers.map { PeerAddress(host: $0.host, port: UInt16($0.port)) }
        if configuration.network == .devnet { peerConfig.syncGracePeriod = .seconds(2) }
        peerConfig.onPeerCountChange = { metrics.setPeerCount($0) }
        peerConfig.onSynced = { metrics.setSynced(true) }
        peers = PeerManager(configuration: peerConfig, chain: chain, blocks: submitter,
                            addressStore: DurablePeerAddressStore(book: store.peers),
                            banStore: DurablePeerBanStore(book: store.peers), key: directory.nodeKey,
                            logger: logger, group: group)
        relayTarget.set(peers)

        // A long poll holds its connection until bitcoind's tip changes: a client of its
        // own, whose timeout outlasts the wait (an abandoned long poll would hold one of
        // bitcoind's RPC threads until the next block).
        var longPollRPC = rpc
        longPollRPC.callTimeout = .seconds(1800)
        watcher = TemplateWatcher(source: client,
                                  minimumDifficultyDelay: configuration.network == .testnet4 ? .seconds(1201) : nil,
                                  longPoll: BitcoinRPCClient(configuration: longPollRPC, eventLoopGroup: group, logger: logger),
                                  logger: logger)
        let backend = NodeMiningBackend(chain: chain, peers: peers, watcher: watcher, blocks: submitter,
                                        syncExempt: configuration.network == .devnet)
        coordinator = MiningCoordinator(builder: JobBuilder(parameters: configuration.parameters, nodeKey: nodeKey),
                                        key: directory.nodeKey, backend: backend, logger: logger)
        work.attach(coordinator)
        await coordinator.attach(stratum)
    }

    /// Checks bitcoind once so a wrong URL, credentials or network is reported
    /// clearly at start; the template watcher keeps retrying afterwards.
    func checkBitcoind() async {
        do {
            let info = try await bitcoind.getBlockchainInfo()
            let expected = configuration.network
            let matches = expected == .devnet ? info.isDevnet : (info.network == expected.bitcoinNetwork && !info.isDevnet)
            if !matches {
                logger.critical("bitcoind at \(configuration.bitcoindURL) is on chain \"\(info.chain)\" but this node runs \(expected.rawValue): check --network and --bitcoind-rpc")
            } else {
                logger.info("bitcoind \(info.chain) at height \(info.blocks)\(info.initialBlockDownload ? " (initial block download: waiting)" : "")")
            }
        } catch {
            logger.error("bitcoind at \(configuration.bitcoindURL) is not answering (\(error)); will keep retrying")
        }
    }

    /// On signet, refuses a signet whose challenge needs a signature: this node cannot
    /// sign blocks, so bitcoind would reject every block it finds (BIP325). Unreachable
    /// bitcoind is not an error here (the template feed checks every template too).
    func checkSignetChallenge() async throws {
        guard configuration.network == .signet else { return }
        let template: BlockTemplate
        do { template = try await bitcoind.getBlockTemplate() } catch {
            logger.warning("cannot check the signet challenge yet (\(error)); every template is checked when it arrives")
            return
        }
        guard template.isMineableWithoutSignetSolution else {
            throw NodeStartError.invalid(SignetRefusal.message(template.signetChallenge))
        }
        logger.info("signet challenge \(template.signetChallenge?.hex ?? "none") is satisfied by an empty solution: blocks can be mined")
    }

    /// Runs every service (plus `additionalServices`, e.g. the HTTP API) until
    /// SIGINT/SIGTERM or cancellation, then shuts down.
    public func run(additionalServices: [any Service] = []) async throws {
        await checkBitcoind()
        try await checkSignetChallenge()
        let watcher = self.watcher
        metrics.setSynced(peers.isSynced)
        // The watcher stops when cancelled: graceful shutdown cancels it.
        let watcherService = ClosureService { await cancelWhenGracefulShutdown { await watcher.run() } }
        let statistics = StatisticsCollector()
        let provider = NodeStatusService(configuration: configuration, chain: chain, store: store, peers: peers,
                                         stratum: stratum, coordinator: coordinator, blocks: blockSubmitter,
                                         statistics: statistics)
        let collector = StatisticsCollectorService(collector: statistics, chain: chain, stratum: stratum,
                                                   coordinator: coordinator, store: store, metrics: metrics,
                                                   logger: logger)
        let logger = self.logger
        let apiAddress = configuration.api
        let api = NodeAPIService(host: apiAddress.host, port: apiAddress.port, provider: provider, metrics: metrics,
                                 logger: logger, eventLoopGroup: group, onServerRunning: { port in logger.info("HTTP API listening on \(apiAddress.host):\(port)") })
        // Shut down in reverse order: the API, feeds and Stratum stop first (no new
        // blocks), the peers next, the block submitter last (it drains its in-flight
        // submitblock calls).
        let storeHealth = StoreHealthMonitor(chain: chain, stratum: stratum, coordinator: coordinator, logger: logger)
        var services: [any Service] = [blockSubmitter, peers, stratum, watcherService, coordinator, api, collector,
                                       storeHealth]
        services.append(contentsOf: additionalServices)
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(14)
        let serviceGroup = ServiceGroup(configuration: groupConfiguration)
        try await serviceGroup.run()
        await bitcoind.close()
        for connection in submitConnections { await connection.close() }
        try? await group.shutdownGracefully()
        logger.info("node stopped")
    }
}

/// The one line a node on an unmineable signet stops with.
enum SignetRefusal {
    static func message(_ challenge: Script?) -> String {
        "this signet's challenge \(challenge?.hex ?? "?") needs a block signature (BIP325); a pool can mine only a signet whose challenge an empty solution satisfies, e.g. OP_TRUE (signetchallenge=51)"
    }
}

/// Why the node could not start, in one line.
public enum NodeStartError: Error, CustomStringConvertible {
    case dataDirectory(String, String)
    case invalid(String)
    case cannotListen(String, String, String)

    public var description: String {
        switch self {
        case .dataDirectory(let path, let why): return "data directory \(path): \(why)"
        case .invalid(let why): return why
        case .cannotListen(let what, let address, let why): return "cannot listen for \(what) on \(address): \(why) (port in use?)"
        }
    }
}
