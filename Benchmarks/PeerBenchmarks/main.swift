import BitcoinPrimitives
import Ed25519
import Foundation
import Logging
import NIOCore
import PeerNetwork
import PeerProtocol
import Sharechain
import SharechainService
import SharechainTestSupport

// Peer network measurements on loopback, in one process:
//   1. share propagation latency across 10 nodes (line and ring), p50/p99/max;
//   2. sync throughput: a fresh node fetching an N-share chain from one peer;
//   3. sync from a pruned peer: a fresh node adopting the peer's root and fetching its
//      retained window (Docs/PROTOCOL-P2P.md, "Sync from pruned peers").
// Usage: PeerBenchmarks [latency-samples (200)] [sync-shares (100000)] [pruned-chain-shares (20000)]
// (0 skips that part).

let args = CommandLine.arguments
let samples = args.count > 1 ? Int(args[1]) ?? 200 : 200
let syncShares = args.count > 2 ? Int(args[2]) ?? 100_000 : 100_000
let prunedChainShares = args.count > 3 ? Int(args[3]) ?? 20_000 : 20_000
let parameters = testParameters(network: .devnet)

struct Node {
    let chain: LocalShareChain
    let timing: TimingChain
    let manager: PeerManager
    let task: Task<Void, any Error>
    let port: Int
    var address: PeerAddress { PeerAddress(host: "127.0.0.1", port: UInt16(port)) }
}

func startNode(store: MemoryShareStore = MemoryShareStore(), logLevel: Logger.Level = .error,
               parameters: SharechainParameters = parameters, retention: RetentionPolicy? = nil,
               signatureHelpers: Int = SignatureBatch.defaultHelperThreads) async throws -> Node {
    let chain = try LocalShareChain(parameters: parameters, store: store, retention: retention,
                                    signatureHelperThreads: signatureHelpers)
    let timing = TimingChain(chain)
    var config = PeerManagerConfiguration(parameters: parameters)
    config.listenHost = "127.0.0.1"
    config.outboundTarget = 0
    config.maintenanceInterval = .milliseconds(20)
    config.syncGracePeriod = .milliseconds(200)
    config.progressInterval = .seconds(2)
    var logger = Logger(label: "bench.p2p")
    logger.logLevel = logLevel
    let manager = PeerManager(configuration: config, chain: timing, addressStore: MemoryPeerAddressStore(),
                              key: .generate(), logger: logger)
    let task = Task { try await manager.run() }
    return Node(chain: chain, timing: timing, manager: manager, task: task, port: try await manager.listeningPort())
}

func waitFor(_ timeout: Duration = .seconds(120), _ cond: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await cond() { return }
        try await Task.sleep(for: .milliseconds(1))
    }
    throw CancellationError()
}

/// User + system CPU time of this whole process (both nodes and every thread), in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func latency(topology: String) async throws {
    var nodes: [Node] = []
    for _ in 0..<10 { nodes.append(try await startNode()) }
    for i in 1..<10 { await nodes[i].manager.addPeer(nodes[i - 1].address) }
    if topology == "ring" { await nodes[0].manager.addPeer(nodes[9].address) }
    let links = topology == "ring" ? 2 : 1
    try await waitFor {
        let a = await nodes[0].manager.peerCount, b = await nodes[9].manager.peerCount
        return a == links && b == links
    }
    let minter = ShareFactory()
    var worst: [Double] = []
    for i in 0..<samples {
        let origin = nodes[(i * 7) % 10]
        var snap = await origin.chain.snapshot()
        let share = minter.next(on: &snap, script: payout(UInt8(1 + i % 5)))
        let start = ContinuousClock.now
        _ = await origin.chain.submit(share, from: .local)
        try await waitFor(.seconds(10)) { nodes.allSatisfy { $0.timing.acceptedAt(share.hash) != nil || $0.port == origin.port } }
        let last = nodes.compactMap { $0.port == origin.port ? nil : $0.timing.acceptedAt(share.hash) }.max()!
        worst.append(ms(last - start))
        try await Task.sleep(for: .milliseconds(5))
    }
    worst.sort()
    print(String(format: "latency %@ 10 nodes, %d shares: p50 %.2f ms, p99 %.2f ms, max %.2f ms (publish → accepted on the last node)",
                 topology, samples, percentile(worst, 0.5), percentile(worst, 0.99), worst.last!))
    for n in nodes { n.task.cancel(); _ = await n.task.result }
}

func syncBenchmark() async throws {
    // Build the source chain directly (mint + insert, no validation) and replay it.
    let mintStart = ContinuousClock.now
    var chain = Sharechain(parameters: parameters)
    let store = MemoryShareStore()
    let minter = ShareFactory()
    for i in 0..<syncShares {
        let s = minter.next(on: &chain, script: payout(UInt8(1 + i % 16)))
        let summary = chain.summary(for: s)
        let outcome = chain.insert(summary)
        try store.commit(s, summary: summary, newTip: outcome.newTip)
    }
    print("minted \(syncShares) shares in \(ContinuousClock.now - mintStart)")
    let source = try await startNode(store: store)
    // Issue 17: the same sync with the signatures of each received run checked on this
    // thread only (one core) and ahead on helper threads (every core), one after the other.
    var rates: [Double] = []
    for helpers in [0, SignatureBatch.defaultHelperThreads] {
        let joiner = try await startNode(logLevel: .info, signatureHelpers: helpers)
        let target = await source.chain.bestTip()!.hash
        let start = ContinuousClock.now
        let cpuStart = processCPUSeconds()
        await joiner.manager.addPeer(source.address)
        try await waitFor(.seconds(600)) { await joiner.chain.bestTip()?.hash == target }
        let elapsed = ContinuousClock.now - start
        let seconds = ms(elapsed) / 1000
        let cpu = processCPUSeconds() - cpuStart
        rates.append(Double(syncShares) / seconds)
        let (runBusy, runs) = joiner.timing.runTime.withLock { $0 }
        print(String(format: "  chain busy applying %d runs: %.2f s (%.0f%% of the sync)", runs, ms(runBusy) / 1000, ms(runBusy) / 10 / seconds))
        print(String(format: "sync %d shares from one peer, %d signature helper thread(s): %.2f s (%.0f shares/s), process CPU %.2f s (%.1f cores busy, %.1f µs CPU per share), synced flag %@",
                     syncShares, helpers, seconds, Double(syncShares) / seconds, cpu, cpu / seconds,
                     cpu * 1e6 / Double(syncShares), "\(joiner.manager.isSynced)"))
        joiner.task.cancel()
        _ = await joiner.task.result
    }
    if rates.count == 2 { print(String(format: "sync with signatures ahead / one core: %.2f×", rates[1] / rates[0])) }
    source.task.cancel()
    _ = await source.task.result
}

/// A source that mined `prunedChainShares` shares and pruned to its fork depth plus four
/// windows; a fresh node adopts its root and syncs the retained window.
func prunedSyncBenchmark() async throws {
    var pruning = parameters
    pruning.maximumForkDepth = 2_000
    let policy = RetentionPolicy(forkDepth: 2_000, batchShares: 500)
    let source = try await startNode(parameters: pruning, retention: policy)
    var minter = ShareFactory()
    minter.bitcoinBits = CompactTarget(rawValue: 0x201f_ffff)  // Z = 64 work: 4 windows ≈ 128 shares
    let mintStart = ContinuousClock.now
    for i in 0..<prunedChainShares {
        var snap = await source.chain.snapshot()
        let share = minter.next(on: &snap, script: payout(UInt8(1 + i % 16)))
        guard case .accepted = await source.chain.submit(share, from: .local) else { fatalError("share \(i) refused") }
    }
    await source.chain.waitForPruning()
    let kept = await source.chain.retentionStatus()
    print("pruned source: mined \(prunedChainShares) shares in \(ContinuousClock.now - mintStart); keeps \(kept.shares) from height \(kept.lowestHeight)")
    let joiner = try await startNode(logLevel: .info, parameters: pruning, retention: policy)
    let target = await source.chain.bestTip()!.hash
    let start = ContinuousClock.now
    await joiner.manager.addPeer(source.address)
    try await waitFor(.seconds(600)) { await joiner.chain.bestTip()?.hash == target }
    let seconds = ms(ContinuousClock.now - start) / 1000
    let synced = await joiner.chain.retentionStatus().shares
    print(String(format: "sync from a pruned peer: root adopted and %d shares synced in %.2f s (%.0f shares/s), %d payouts trusted",
                 synced, seconds, Double(synced) / seconds, await joiner.chain.unverifiedPayoutShares))
    for n in [source, joiner] { n.task.cancel(); _ = await n.task.result }
}

if samples > 0 {
    try await latency(topology: "line")
    try await latency(topology: "ring")
}
if syncShares > 0 { try await syncBenchmark() }
if prunedChainShares > 0 { try await prunedSyncBenchmark() }
