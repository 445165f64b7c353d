import TidepoolTestSupport
import BitcoinPrimitives
import Ed25519
import Logging
import NIOCore
import PeerNetwork
import PeerProtocol
import Sharechain
import SharechainService
import TIDES

/// One in-process node: a LocalShareChain and a running PeerManager on 127.0.0.1.
struct TestNode: Sendable {
    let chain: LocalShareChain
    let manager: PeerManager
    let task: Task<Void, any Error>
    let port: Int
    let key: SigningKey
    var address: PeerAddress { PeerAddress(host: "127.0.0.1", port: UInt16(port)) }

    static func start(parameters: SharechainParameters = peerTestParameters(), outboundTarget: Int = 0,
                      key: SigningKey = .generate(), tweak: (inout PeerManagerConfiguration) -> Void = { _ in },
                      blocks: (@Sendable ([UInt8]) async -> Void)? = nil,
                      bitcoinParents: (any BitcoinParentResolver)? = nil,
                      banStore: any PeerBanStore = MemoryPeerBanStore(),
                      addressStore: any PeerAddressStore = MemoryPeerAddressStore(),
                      retention: RetentionPolicy? = nil) async throws -> TestNode {
        let chain = try LocalShareChain(parameters: parameters, store: InMemoryShareStore(), retention: retention,
                                        bitcoinParents: bitcoinParents)
        var config = PeerManagerConfiguration(parameters: parameters)
        config.listenHost = "127.0.0.1"
        config.outboundTarget = outboundTarget
        config.maintenanceInterval = .milliseconds(20)
        config.reconnectBase = .milliseconds(50)
        config.reconnectCap = .milliseconds(400)
        config.syncGracePeriod = .milliseconds(500)
        tweak(&config)
        var logger = Logger(label: "test.p2p")
        logger.logLevel = .error
        let manager = PeerManager(configuration: config, chain: chain, blocks: blocks.map(ClosureBlockSink.init),
                                  addressStore: addressStore,
                                  banStore: banStore, key: key, logger: logger)
        let task = Task { try await manager.run() }
        let port = try await manager.listeningPort()
        return TestNode(chain: chain, manager: manager, task: task, port: port, key: key)
    }

    func connect(to other: TestNode) async { await manager.addPeer(other.address) }

    func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// Mines one share on this node's best tip and submits it as the node's own (the
    /// manager announces it when the chain accepts it).
    @discardableResult
    func mine(script: Script = payoutScript(1), minter: ShareMinter = ShareMinter()) async -> WireShare {
        var snapshot = await chain.snapshot()
        let share = minter.next(on: &snapshot, script: script)
        _ = await chain.submit(share, from: .local)
        return share
    }

    func tip() async -> ShareHash? { await chain.bestTip()?.hash }
}

func withNodes(_ count: Int, parameters: SharechainParameters = peerTestParameters(),
               _ body: ([TestNode]) async throws -> Void) async throws {
    var nodes: [TestNode] = []
    for _ in 0..<count { nodes.append(try await TestNode.start(parameters: parameters)) }
    do {
        try await body(nodes)
    } catch {
        for n in nodes { await n.stop() }
        throw error
    }
    for n in nodes { await n.stop() }
}

/// Whether every node has `tip` as its best tip.
func allAt(_ nodes: [TestNode], _ tip: ShareHash?) async -> Bool {
    for n in nodes where await n.tip() != tip { return false }
    return true
}

/// Relayed blocks to a closure (the node hands them to its bitcoind).
struct ClosureBlockSink: RelayedBlockSink {
    let body: @Sendable ([UInt8]) async -> Void
    init(_ body: @escaping @Sendable ([UInt8]) async -> Void) { self.body = body }
    func submitRelayedBlock(_ bytes: [UInt8]) { Task { await body(bytes) } }
}
