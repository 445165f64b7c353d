import BitcoinPrimitives
import BitcoinRPC
import DevnetBitcoin
import Foundation
import JSON
import NIOPosix
import Sharechain

extension DevnetLauncher {
    /// Asks every node until they agree (tips, payouts, every block's share) or 20 s pass,
    /// then closes the block audit.
    func settle(nodes: [NodeProcess], http: LocalHTTPClient, rpc: BitcoinRPCClient, startHeight: Int,
                audit: inout DevnetBlockAudit) async -> Summary {
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
            tips.append(status?["tip"]?["hash"]?.stringValue ?? "none")
            let kept = status?["retention"]
            retention.append((kept?["shares"]?.integerValue.map(Int.init) ?? 0, kept?["lowest_height"]?.integerValue.map(Int.init) ?? 0))
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

    /// Stops the nodes with SIGTERM and records how each exited (0: a clean shutdown).
    func shutDown(_ nodes: [NodeProcess], summary: inout Summary) async {
        for node in nodes { node.process.terminate() }
        for node in nodes { await Self.exit(of: node.process) }
        summary.nodeExitStatuses = nodes.map(\.process.terminationStatus)
        for node in nodes where node.process.terminationStatus != 0 {
            output("devnet: node \(node.index) exited with status \(node.process.terminationStatus) after SIGTERM; see \(node.logPath)")
        }
    }
}
