import BitcoinPrimitives
import BitcoinRPC
import Ed25519
import Foundation
import Logging
import NIOCore
import NIOPosix
import NodeAPI
import PeerNetwork
import Prometheus
import PeerProtocol
import ServiceLifecycle
import Sharechain
import SharechainStore
import StratumServer

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
    public let store: LevelDBShareStore
    public let nodeKey: PublicKey
    let watcher: TemplateWatcher
    let logger: Logger
    let group: MultiThreadedEventLoopGroup

    /// Opens the data directory, replays the sharechain and binds the listening
    /// sockets, so every misconfiguration surfaces here with a clear error.
    public init(configuration: NodeConfiguration, logger: Logger) async throws {
        self.configuration = configuration
        self.logger = logger
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

        group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        guard let rpc = BitcoinRPCConfiguration(url: configuration.bitcoindURL, credentials: configuration.bitcoindCredentials,
                                                network: configuration.network.bitcoinNetwork) else {
            throw NodeStartError.invalid("--bitcoind-rpc \(configuration.bitcoindURL) is not http://HOST:PORT[/path]")
        }
        let client = BitcoinRPCClient(configuration: rpc, eventLoopGroup: group, logger: logger)
        bitcoind = client

        // Replay with a progress line.
        let started = ContinuousClock.now
        let replayLogger = logger
        let chain = try LocalShareChain(parameters: configuration.parameters, store: store,
                                        replayProgress: { done, total in
                                            let elapsed = ContinuousClock.now - started
                                            let ns = elapsed.components.seconds * 1_000_000_000
                                                + elapsed.components.attoseconds / 1_000_000_000
                                            replayLogger.info("\(ReplayProgress(done: done, total: total, elapsedNanoseconds: UInt64(max(0, ns))))")
                                        },
                                        onBlock: { bytes in
                                            guard let block = try? Block(serialized: bytes) else { return }
                                            let result = try? await client.submitBlock(block)
                                            logger.notice("block relayed by a peer submitted to bitcoind",
                                                          metadata: ["hash": "\(block.hash)", "result": "\(result.map { "\($0)" } ?? "failed")"])
                                        })
        self.chain = chain
        if let tip = await chain.bestTip() {
            logger.info("sharechain tip \(tip.hash) at height \(tip.height)")
        } else {
            logger.info("sharechain is empty")
        }

        var peerConfig = PeerManagerConfiguration(parameters: configuration.parameters)
        peerConfig.listenHost = configuration.p2p.host
        peerConfig.listenPort = configuration.p2p.port
        peerConfig.staticPeers = configuration.peers.map { PeerAddress(host: $0.host, port: UInt16($0.port)) }
        if configuration.network == .devnet { peerConfig.syncGracePeriod = .seconds(2) }
        peers = PeerManager(configuration: peerConfig, chain: chain,
                            addressStore: DurablePeerAddressStore(book: store.peers), key: directory.nodeKey,
                            logger: logger, group: group)

        let backend = NodeMiningBackend(chain: chain, peers: peers, bitcoind: client, logger: logger,
                                        syncExempt: configuration.network == .devnet)
        coordinator = MiningCoordinator(builder: JobBuilder(parameters: configuration.parameters, nodeKey: nodeKey),
                                        key: directory.nodeKey, backend: backend, logger: logger)
        stratum = StratumServer(configuration: StratumServerConfiguration(host: configuration.stratum.host,
                                                                          port: configuration.stratum.port,
                                                                          network: configuration.network),
                                workSource: coordinator, sink: coordinator, logger: logger, group: group)
        do {
            let address = try await stratum.bind()
            logger.info("stratum listening on \(address)")
        } catch {
            throw NodeStartError.cannotListen("stratum", configuration.stratum.description, "\(error)")
        }
        await coordinator.attach(stratum)
        watcher = TemplateWatcher(source: client, logger: logger)
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

    /// Runs every service (plus `additionalServices`, e.g. the HTTP API) until
    /// SIGINT/SIGTERM or cancellation, then shuts down.
    public func run(additionalServices: [any Service] = []) async throws {
        await checkBitcoind()
        let coordinator = self.coordinator
        let watcher = self.watcher
        let chain = self.chain
        let templates = ClosureService(description: "template feed") {
            for await template in watcher.templates { await coordinator.templateUpdated(template) }
        }
        let tips = ClosureService(description: "tip feed") {
            for await _ in chain.tipChanges { await coordinator.tipChanged() }
        }
        let watcherService = ClosureService(description: "template watcher") { await watcher.run() }
        let registry = PrometheusCollectorRegistry()
        let metrics = NodeMetrics(registry: registry)
        let provider = NodeStatusService(configuration: configuration, chain: chain, store: store, peers: peers,
                                         stratum: stratum, coordinator: coordinator)
        let logger = self.logger
        let apiAddress = configuration.api
        let api = NodeAPIService(host: apiAddress.host, port: apiAddress.port, provider: provider, metrics: metrics,
                                 logger: logger, onServerRunning: { port in logger.info("HTTP API listening on \(apiAddress.host):\(port)") })
        let peers = self.peers, stratum = self.stratum
        let gauges = ClosureService(description: "metrics") {
            var lastHeight: UInt32?
            var blocksSeen = 0
            while !Task.isCancelled {
                let blocks = await coordinator.foundBlocks.count
                for _ in blocksSeen..<max(blocksSeen, blocks) { metrics.blockFound() }
                blocksSeen = max(blocksSeen, blocks)
                if let tip = await chain.bestTip() {
                    if let last = lastHeight, tip.height > last { metrics.sharesAccepted(Int(tip.height - last)) }
                    lastHeight = tip.height
                    metrics.setTipHeight(tip.height)
                }
                metrics.setPeerCount(await peers.peerCount)
                metrics.setHashrate(await stratum.workerStats().reduce(0) { $0 + $1.hashrate })  // display only
                try await Task.sleep(for: .seconds(5))
            }
        }
        var services: [any Service] = [peers, stratum, watcherService, templates, tips, api, gauges]
        services.append(contentsOf: additionalServices)
        let serviceGroup = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await serviceGroup.run()
        await bitcoind.close()
        try? await group.shutdownGracefully()
        logger.info("node stopped")
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
