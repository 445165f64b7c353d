import BitcoinPrimitives
import BitcoinRPC
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

        // The Bitcoin side.
        let rpcURL: String, rpcUser: String, rpcPassword: String, network: String
        var serverTask: Task<Void, Error>?
        if let url = options.bitcoindURL {
            rpcURL = url
            rpcUser = options.bitcoindUser ?? ""
            rpcPassword = options.bitcoindPassword ?? ""
            network = "regtest"
            output("devnet: using bitcoind at \(url) (regtest)")
        } else {
            let chain = SharedDevnetChain(DevnetChain(parameters: DevnetParameters(
                targetBlockInterval: 10, initialBits: CompactTarget(rawValue: 0x1e07_ffff))))
            let server = try await DevnetRPCServer.bind(chain: chain, user: "tidepool", password: "devnet",
                                                        eventLoopGroup: group, logger: logger)
            serverTask = Task { try await server.run() }
            rpcURL = "http://127.0.0.1:\(server.port)"
            rpcUser = "tidepool"
            rpcPassword = "devnet"
            network = "devnet"
            output("devnet: simulated Bitcoin chain on 127.0.0.1:\(server.port) (10 s blocks)")
        }
        guard let rpcConfig = BitcoinRPCConfiguration(url: rpcURL, credentials: .userPassword(user: rpcUser, password: rpcPassword),
                                                      network: .regtest) else {
            throw NodeStartError.invalid("--bitcoind \(rpcURL) is not http://HOST:PORT")
        }
        let rpc = BitcoinRPCClient(configuration: rpcConfig, eventLoopGroup: group, logger: logger)
        defer { serverTask?.cancel() }
        let startHeight = (try? await rpc.getBlockCount()) ?? 0

        // The nodes.
        var nodes: [NodeProcess] = []
        let totalNodes = options.nodes + (options.lateNodeAfter == nil ? 0 : 1)
        let ports = try FreePorts.allocate(3 * totalNodes)
        let bitcoin = (url: rpcURL, user: rpcUser, password: rpcPassword, network: network)
        func startNode(_ i: Int) throws {
            let node = try spawnNode(i, work: work, ports: ports, bitcoin: bitcoin)
            children.add(node.process)
            nodes.append(node)
            output("devnet: node \(i + 1) pid \(node.process.processIdentifier): stratum \(node.stratumPort), p2p \(node.p2pPort), api \(node.apiPort), log \(node.logPath)")
        }
        for i in 0..<options.nodes { try startNode(i) }
        let http = LocalHTTPClient(group: group)
        for node in nodes {
            try await waitForAPI(node, http: http)
            output("devnet: node \(node.index) dashboard http://127.0.0.1:\(node.apiPort)/")
        }

        // The miners.
        // Each miner asks for another firmware coinbase class (cb=N: NerdMiner's 255 bytes,
        // Bitaxe's 384-byte halves, a stock Antminer's 730 bytes, …) so every devnet run
        // checks that nodes agree on shares and payouts of mixed classes.
        let classes = Self.minerCoinbaseClasses
        var miners: [Process] = []
        for node in nodes {
            for m in 0..<options.minersPerNode {
                let address = DevnetAddresses.miner(node: node.index, index: m)
                let sizeClass = classes[(node.index - 1 + m * nodes.count) % classes.count]
                let p = try spawn(["mine", "--stratum", "127.0.0.1:\(node.stratumPort)", "--user", "\(address).w\(m)",
                                   "--password", "x,cb=\(sizeClass)", "--threads", "\(options.minerThreads)"],
                                  log: "\(work)/miner-\(node.index)-\(m + 1).log")
                children.add(p)
                miners.append(p)
            }
        }
        output("devnet: \(miners.count) CPU miners started; Ctrl-C ends the run and prints the summary")

        // Progress, and each found block audited while every node still holds its share.
        var audit = DevnetBlockAudit(startHeight: startHeight)
        let started = ContinuousClock.now
        var killedAt: Duration?
        while !stop() {
            let elapsed = ContinuousClock.now - started
            if let limit = options.duration, elapsed >= .seconds(limit) { break }
            try? await Task.sleep(for: .seconds(3))
            if let after = options.lateNodeAfter, nodes.count == options.nodes, elapsed >= .seconds(after) {
                try startNode(options.nodes)
                output("devnet: node \(options.nodes + 1) joins with an empty chain and no miner; it syncs from the others")
                try await waitForAPI(nodes[options.nodes], http: http)
            }
            if let chaos = options.killAndRestart, (1...nodes.count).contains(chaos.node) {
                let i = chaos.node - 1
                if killedAt == nil, elapsed >= .seconds(chaos.after) {
                    kill(nodes[i].process.processIdentifier, SIGKILL)
                    await Self.exit(of: nodes[i].process)
                    killedAt = elapsed
                    output("devnet: node \(chaos.node) killed with SIGKILL")
                } else if let k = killedAt, !nodes[i].process.isRunning, elapsed >= k + .seconds(chaos.down) {
                    let p = try spawn(nodes[i].arguments, log: nodes[i].logPath + ".restart")
                    children.add(p)
                    nodes[i].process = p
                    output("devnet: node \(chaos.node) restarted (pid \(p.processIdentifier)) on its data directory")
                    try await waitForAPI(nodes[i], http: http)
                }
            }
            var line = "[\(elapsed.components.seconds)s] blocks \(((try? await rpc.getBlockCount()) ?? startHeight) - startHeight)"
            for node in nodes {
                let status = try? await json(http, node, "/api/v1/status")
                let tip = (status?["tip"] as? [String: Any])
                let height = tip?["height"] as? Int
                let hash = (tip?["hash"] as? String).map { String($0.prefix(8)) } ?? "-"
                let peers = status?["peers"] as? Int ?? 0
                let miners = (try? await jsonArray(http, node, "/api/v1/miners")) ?? []
                let rate = miners.compactMap { $0["hashrate"] as? Double }.reduce(0, +)  // display only
                let retention = status?["retention"] as? [String: Any]
                let kept = (retention?["shares"] as? Int).map { " kept \($0)" } ?? ""
                let lowest = (retention?["lowest_height"] as? Int).flatMap { $0 > 0 ? "≥\($0)" : nil } ?? ""
                line += " | n\(node.index) tip \(height.map(String.init) ?? "-") \(hash) peers \(peers)\(kept)\(lowest) \(Self.formatRate(rate))"
            }
            output(line)
            if let height = try? await rpc.getBlockCount() {
                await audit.check(upTo: height, nodes: nodes.map(Self.auditNode), rpc: rpc, http: http)
            }
        }

        // Stop mining, let gossip settle, then compare the nodes. Node 1's miners stop
        // last, after one more share: two nodes that ended on different tips of equal
        // work (fork choice keeps the first seen) then converge on its extension.
        let firstNodeMiners = options.minersPerNode
        for m in miners.dropFirst(firstNodeMiners) { m.terminate() }
        for m in miners.dropFirst(firstNodeMiners) { await Self.exit(of: m) }
        if firstNodeMiners > 0, let first = nodes.first {
            let before = try? await json(http, first, "/api/v1/status")
            let beforeTip = (before?["tip"] as? [String: Any])?["hash"] as? String
            for _ in 0..<150 {
                try? await Task.sleep(for: .milliseconds(100))
                let now = try? await json(http, first, "/api/v1/status")
                if ((now?["tip"] as? [String: Any])?["hash"] as? String) != beforeTip { break }
            }
        }
        for m in miners.prefix(firstNodeMiners) { m.terminate() }
        for m in miners.prefix(firstNodeMiners) { await Self.exit(of: m) }
        output("devnet: miners stopped; waiting for the nodes to agree")
        var summary = Summary(blocksFound: 0, tipsAgree: false, payoutsAgree: false, blocksVerified: 0,
                              blocksUnverified: [], tips: [])
        for _ in 0..<20 {
            summary = await summarize(nodes: nodes, http: http, rpc: rpc, startHeight: startHeight, audit: &audit)
            if summary.tipsAgree && summary.payoutsAgree && audit.isClean { break }
            try? await Task.sleep(for: .seconds(1))
        }
        audit.finish()
        summary.blocksVerified = audit.verified
        summary.blocksUnverified = audit.failures
        if audit.notShares > 0 { output("devnet: \(audit.notShares) block(s) met the block target but not the share target (not shares)") }
        if audit.excusedByPruning > 0 {
            output("devnet: \(audit.excusedByPruning) share check(s) skipped on nodes whose retained history starts above the share (pruned, or joined later)")
        }
        await options.beforeShutdown?(nodes.map(\.apiPort))
        for node in nodes { node.process.terminate() }
        for node in nodes { await Self.exit(of: node.process) }
        summary.nodeExitStatuses = nodes.map(\.process.terminationStatus)
        for node in nodes where node.process.terminationStatus != 0 {
            output("devnet: node \(node.index) exited with status \(node.process.terminationStatus) after SIGTERM; see \(node.logPath)")
        }
        await rpc.close()
        serverTask?.cancel()
        _ = await serverTask?.result
        return summary
    }

    func summarize(nodes: [NodeProcess], http: LocalHTTPClient, rpc: BitcoinRPCClient, startHeight: Int,
                   audit: inout DevnetBlockAudit) async -> Summary {
        let height = (try? await rpc.getBlockCount()) ?? startHeight
        var tips: [String] = []
        var payouts: [String] = []
        var retention: [(shares: Int, lowestHeight: Int)] = []
        for node in nodes {
            let status = try? await json(http, node, "/api/v1/status")
            tips.append(((status?["tip"] as? [String: Any])?["hash"] as? String) ?? "none")
            let kept = status?["retention"] as? [String: Any]
            retention.append((kept?["shares"] as? Int ?? 0, kept?["lowest_height"] as? Int ?? 0))
            payouts.append((try? await http.get(host: "127.0.0.1", port: node.apiPort, path: "/api/v1/payouts").1) ?? "")
        }
        await audit.check(upTo: height, nodes: nodes.map(Self.auditNode), rpc: rpc, http: http)
        return Summary(blocksFound: height - startHeight, tipsAgree: Set(tips).count == 1 && tips.first != "none",
                       payoutsAgree: Set(payouts).count == 1 && !(payouts.first ?? "").isEmpty,
                       blocksVerified: audit.verified, blocksUnverified: audit.failures, tips: tips, retention: retention)
    }

    static func auditNode(_ node: NodeProcess) -> DevnetBlockAudit.Node {
        DevnetBlockAudit.Node(index: node.index, apiPort: node.apiPort)
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

    // MARK: Helpers

    /// Starts node `i` (0-based), peered with every node before it, with the run's retention policy.
    private func spawnNode(_ i: Int, work: String, ports: [Int],
                           bitcoin: (url: String, user: String, password: String, network: String)) throws -> NodeProcess {
        let dir = "\(work)/node-\(i + 1)"
        var args = ["run", "--network", bitcoin.network, "--datadir", dir, "--bitcoind-rpc", bitcoin.url,
                    "--bitcoind-user", bitcoin.user, "--bitcoind-password", bitcoin.password,
                    "--stratum", "127.0.0.1:\(ports[3 * i])", "--p2p", "127.0.0.1:\(ports[3 * i + 1])",
                    "--api", "127.0.0.1:\(ports[3 * i + 2])"]
        for j in 0..<i { args += ["--peer", "127.0.0.1:\(ports[3 * j + 1])"] }
        if let depth = options.forkDepth { args += ["--fork-depth", "\(depth)"] }
        if let batch = options.pruneBatch { args += ["--prune-batch", "\(batch)"] }
        let log = "\(dir).log"
        let p = try spawn(args, log: log)
        return NodeProcess(index: i + 1, process: p, stratumPort: ports[3 * i], p2pPort: ports[3 * i + 1],
                           apiPort: ports[3 * i + 2], dataDirectory: dir, arguments: args, logPath: log)
    }

    private func spawn(_ arguments: [String], log: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        return p
    }

    private func waitForAPI(_ node: NodeProcess, http: LocalHTTPClient) async throws {
        for _ in 0..<600 {
            if !node.process.isRunning {
                throw NodeStartError.invalid("node \(node.index) exited (status \(node.process.terminationStatus)); see \(node.logPath)")
            }
            if let (status, _) = try? await http.get(host: "127.0.0.1", port: node.apiPort, path: "/api/v1/status"), status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw NodeStartError.invalid("node \(node.index) API did not come up within 60 s; see \(node.logPath)")
    }

    private func json(_ http: LocalHTTPClient, _ node: NodeProcess, _ path: String) async throws -> [String: Any]? {
        let (_, body) = try await http.get(host: "127.0.0.1", port: node.apiPort, path: path)
        return try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    }

    private func jsonArray(_ http: LocalHTTPClient, _ node: NodeProcess, _ path: String) async throws -> [[String: Any]] {
        let (_, body) = try await http.get(host: "127.0.0.1", port: node.apiPort, path: path)
        let value = try JSONSerialization.jsonObject(with: Data(body.utf8))
        if let array = value as? [[String: Any]] { return array }
        if let object = value as? [String: Any] {
            for (_, v) in object { if let array = v as? [[String: Any]] { return array } }
        }
        return []
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
