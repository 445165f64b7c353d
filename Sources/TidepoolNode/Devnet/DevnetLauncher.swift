import JSON
import BitcoinPrimitives
import BitcoinRPC
import DevnetBitcoin
import Foundation
import Logging
import NIOCore
import NIOPosix
import Sharechain

/// `tidepool devnet`: a local multi-node pool in one command (Docs/OPERATIONS.md).
///
/// Hosts the devnet Bitcoin chain in-process (or uses a real regtest bitcoind),
/// starts N `tidepool run` processes peered with each other and M `tidepool mine`
/// CPU miners per node with distinct payout addresses, shows live progress, and
/// ends with a summary that checks the pool's promises: blocks found, every node
/// on the same tip, the same payout split on every node, and every found block's
/// coinbase accepted by every node (each node rebuilt it from its own chain).
public struct DevnetLauncher {
    public struct Options: Sendable {
        public var nodes = 3
        public var minersPerNode = 1
        /// Seconds to run; nil runs until Ctrl-C.
        public var duration: Int? = 120
        /// A real regtest bitcoind instead of the built-in devnet chain.
        public var bitcoindURL: String?
        public var bitcoindUser: String?
        public var bitcoindPassword: String?
        /// Where node data and logs go (default: a fresh temporary directory).
        public var workDirectory: String?
        /// Threads per miner.
        public var minerThreads = 1
        /// Fault injection: SIGKILL node `node` (1-based) after `after` seconds and
        /// restart it on the same data directory `down` seconds later.
        public var killAndRestart: (node: Int, after: Int, down: Int)?
        /// Retention policy passed to every node (`--fork-depth`, `--prune-batch`): a small
        /// fork depth and batch make a devnet prune within minutes instead of hours.
        public var forkDepth: Int?
        public var pruneBatch: Int?
        /// Start one more node, with an empty data directory and no miner, this many seconds
        /// into the run: it must sync from the (possibly pruned) nodes and agree with them.
        public var lateNodeAfter: Int?
        /// Called with the nodes' API ports once they agree, before they stop
        /// (tests check the API against the chain here).
        public var beforeShutdown: (@Sendable ([Int]) async -> Void)?
        public init() {}
    }

    /// The result of a run.
    public struct Summary: Sendable {
        public var blocksFound: Int
        public var tipsAgree: Bool
        public var payoutsAgree: Bool
        public var blocksVerified: Int
        public var blocksUnverified: [String]
        public var tips: [String]
        /// Per node: retained shares, the lowest retained height (above 0 once pruned).
        public var retention: [(shares: Int, lowestHeight: Int)] = []
        /// Exit statuses of the nodes after SIGTERM (0: a clean shutdown).
        public var nodeExitStatuses: [Int32] = []
        public var passed: Bool {
            blocksFound > 0 && tipsAgree && payoutsAgree && blocksUnverified.isEmpty && nodeExitStatuses.allSatisfy { $0 == 0 }
        }
    }

    let options: Options
    let executable: String
    let logger: Logger
    let output: @Sendable (String) -> Void

    public init(options: Options, executable: String, logger: Logger, output: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.executable = executable
        self.logger = logger
        self.output = output
    }

    struct NodeProcess {
        var index: Int
        var process: Process
        var stratumPort: Int
        var p2pPort: Int
        var apiPort: Int
        var dataDirectory: String
        var arguments: [String]
        var logPath: String
    }

    /// Runs the devnet until the duration ends or `stop` is signalled; returns the summary.
    public func run(stop: @escaping @Sendable () -> Bool) async throws -> Summary {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let summary = try await run(group: group, stop: stop)
            try? await group.shutdownGracefully()
            return summary
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func run(group: MultiThreadedEventLoopGroup, stop: @escaping @Sendable () -> Bool) async throws -> Summary {
        let children = ChildProcesses()
        defer { children.terminateAll() }
        let work = options.workDirectory ?? NSTemporaryDirectory() + "tidepool-devnet-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        output("devnet: working directory \(work)")

        let bitcoin = try await startBitcoin(group: group)
        defer { bitcoin.server?.cancel() }
        let rpc = try rpcClient(for: bitcoin, group: group)
        let startHeight = (try? await rpc.getBlockCount()) ?? 0

        var cluster = try Cluster(work: work, bitcoin: bitcoin, capacity: options.nodes + (options.lateNodeAfter == nil ? 0 : 1))
        for i in 0..<options.nodes { try startNode(i, in: &cluster, children: children) }
        let http = LocalHTTPClient(group: group)
        for node in cluster.nodes {
            try await waitForAPI(node, http: http)
            output("devnet: node \(node.index) dashboard http://127.0.0.1:\(node.apiPort)/")
        }
        let miners = try startMiners(for: cluster.nodes, work: work, children: children)

        // Progress, and each found block audited while every node still holds its share.
        var audit = DevnetBlockAudit(startHeight: startHeight)
        let started = ContinuousClock.now
        var killedAt: Duration?
        while !stop() {
            let elapsed = ContinuousClock.now - started
            if let limit = options.duration, elapsed >= .seconds(limit) { break }
            try? await Task.sleep(for: .seconds(3))
            try await startLateNode(elapsed: elapsed, in: &cluster, children: children, http: http)
            try await applyChaos(elapsed: elapsed, killedAt: &killedAt, nodes: &cluster.nodes, children: children, http: http)
            output(await progressLine(elapsed: elapsed, nodes: cluster.nodes, http: http, rpc: rpc, startHeight: startHeight))
            if let height = try? await rpc.getBlockCount() {
                await audit.check(upTo: height, nodes: cluster.nodes.map(Self.auditNode), rpc: rpc, http: http)
            }
        }

        await stopMiners(miners, nodes: cluster.nodes, http: http)
        var summary = await settle(nodes: cluster.nodes, http: http, rpc: rpc, startHeight: startHeight, audit: &audit)
        await options.beforeShutdown?(cluster.nodes.map(\.apiPort))
        await shutDown(cluster.nodes, summary: &summary)
        await rpc.close()
        bitcoin.server?.cancel()
        _ = await bitcoin.server?.result
        return summary
    }

    /// Waits for a child to exit without blocking a thread of the concurrency pool
    /// (`Process.waitUntilExit` would).
    static func exit(of process: Process) async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        process.waitUntilExit()  // reaps it; returns at once now
    }

    /// The coinbase classes the devnet's miners ask for, in turn (Docs/FIRMWARE.md).
    static let minerCoinbaseClasses = [255, 384, 730, 2250]

    /// Prints the summary lines.
    public func report(_ s: Summary) {
        output("")
        output("devnet summary")
        output("  blocks found:            \(s.blocksFound)")
        output("  same tip on every node:  \(s.tipsAgree ? "yes" : "NO") (\(s.tips.map { String($0.prefix(16)) }.joined(separator: ", ")))")
        output("  same payouts everywhere: \(s.payoutsAgree ? "yes" : "NO")")
        output("  block coinbases checked: \(s.blocksVerified) accepted by every node (each rebuilt the TIDES coinbase)")
        let kept = s.retention.enumerated().map { i, r in
            "n\(i + 1) \(r.shares)" + (r.lowestHeight > 0 ? " from height \(r.lowestHeight)" : "")
        }
        output("  shares kept per node:    \(kept.joined(separator: ", "))")
        for u in s.blocksUnverified { output("    ! \(u)") }
        output(s.passed ? "  result: PASS" : "  result: FAIL")
    }

    static func formatRate(_ rate: Double) -> String {  // display only
        if rate >= 1e6 { return String(format: "%.1f MH/s", rate / 1e6) }
        if rate >= 1e3 { return String(format: "%.0f kH/s", rate / 1e3) }
        return String(format: "%.0f H/s", rate)
    }
}

/// Every process the launcher started, so none outlives it (even on an error).
final class ChildProcesses: @unchecked Sendable {
    private let lock = NSLock()
    private var processes: [Process] = []

    func add(_ p: Process) { lock.withLock { processes.append(p) } }

    func terminateAll() {
        let all = lock.withLock { processes }
        for p in all where p.isRunning { p.terminate() }
        for p in all { p.waitUntilExit() }
    }
}

/// Free loopback ports, found by binding port 0 and closing again.
enum FreePorts {
    static func allocate(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for s in sockets { close(s) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw NodeStartError.invalid("cannot open a socket to find a free port") }
            sockets.append(fd)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = 0
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &addr) { ptr in
                ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    bind(fd, sa, len) == 0 && getsockname(fd, sa, &len) == 0
                }
            }
            guard ok else { throw NodeStartError.invalid("cannot bind a loopback socket to find a free port") }
            ports.append(Int(UInt16(bigEndian: addr.sin_port)))
        }
        return ports
    }
}
