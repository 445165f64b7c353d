import BitcoinRPC
import Foundation

extension DevnetLauncher {
    /// `--late-node`: once, this many seconds in, one more node with an empty chain and no
    /// miner joins; it must sync from the others.
    func startLateNode(elapsed: Duration, in cluster: inout Cluster, children: ChildProcesses, http: LocalHTTPClient) async throws {
        guard let after = options.lateNodeAfter, cluster.nodes.count == options.nodes, elapsed >= .seconds(after) else { return }
        try startNode(options.nodes, in: &cluster, children: children)
        output("devnet: node \(options.nodes + 1) joins with an empty chain and no miner; it syncs from the others")
        try await waitForAPI(cluster.nodes[options.nodes], http: http)
    }

    /// `--kill-restart`: SIGKILL the chosen node once, then restart it on its data
    /// directory after the down time.
    func applyChaos(elapsed: Duration, killedAt: inout Duration?, nodes: inout [NodeProcess],
                    children: ChildProcesses, http: LocalHTTPClient) async throws {
        guard let chaos = options.killAndRestart, (1...nodes.count).contains(chaos.node) else { return }
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

    /// One progress line: blocks found so far, then per node its tip, peers, retained
    /// shares and its miners' hash rate.
    func progressLine(elapsed: Duration, nodes: [NodeProcess], http: LocalHTTPClient, rpc: BitcoinRPCClient,
                      startHeight: Int) async -> String {
        var line = "[\(elapsed.components.seconds)s] blocks \(((try? await rpc.getBlockCount()) ?? startHeight) - startHeight)"
        for node in nodes {
            let status = try? await json(http, node, "/api/v1/status")
            let tip = status?["tip"]
            let height = tip?["height"]?.integerValue
            let hash = tip?["hash"]?.stringValue.map { String($0.prefix(8)) } ?? "-"
            let peers = status?["peers"]?.integerValue ?? 0
            let miners = (try? await jsonArray(http, node, "/api/v1/miners")) ?? []
            let rate = miners.compactMap { $0["hashrate"]?.doubleValue }.reduce(0, +)  // display only
            let retention = status?["retention"]
            let kept = retention?["shares"]?.integerValue.map { " kept \($0)" } ?? ""
            let lowest = retention?["lowest_height"]?.integerValue.flatMap { $0 > 0 ? "≥\($0)" : nil } ?? ""
            line += " | n\(node.index) tip \(height.map(String.init) ?? "-") \(hash) peers \(peers)\(kept)\(lowest) \(Self.formatRate(rate))"
        }
        return line
    }
}
