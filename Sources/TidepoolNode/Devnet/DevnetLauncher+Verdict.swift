import BitcoinPrimitives
import BitcoinRPC
import DevnetBitcoin
import Foundation
import JSON
import NIOPosix
import Sharechain

extension DevnetLauncher {
    /// Asks every node until they agree (tips, payouts, every block's share) or 20 s pass.
    func settle(nodes: [NodeProcess], http: LocalHTTPClient, rpc: BitcoinRPCClient, startHeight: Int) async -> Summary {
        var summary = Summary(blocksFound: 0, tipsAgree: false, payoutsAgree: false, blocksVerified: 0,
                              blocksUnverified: [], tips: [])
        for _ in 0..<20 {
            summary = await summarize(nodes: nodes, http: http, rpc: rpc, startHeight: startHeight)
            if summary.tipsAgree && summary.payoutsAgree && summary.blocksUnverified.isEmpty { break }
            try? await Task.sleep(for: .seconds(1))
        }
        return summary
    }

    func summarize(nodes: [NodeProcess], http: LocalHTTPClient, rpc: BitcoinRPCClient, startHeight: Int) async -> Summary {
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
        var verified = 0
        var notShares = 0
        var unverified: [String] = []
        if height > startHeight {
            for h in (startHeight + 1)...height {
                guard let hashValue = try? await rpc.call("getblockhash", [.int(Int64(h))]), let hashHex = hashValue.stringValue,
                      let blockValue = try? await rpc.call("getblock", [.string(hashHex), .int(0)]), let hex = blockValue.stringValue,
                      let bytes = Hex.decode(hex), let block = try? Block(serialized: bytes),
                      let coinbase = block.transactions.first
                else { unverified.append("height \(h): could not read the block"); continue }
                guard let shareHash = coinbase.outputs.lazy.compactMap({ ShareCommitment.shareHash(in: $0.scriptPubKey) }).first else {
                    unverified.append("height \(h): no share commitment (not mined by the pool)")
                    continue
                }
                var missing: [Int] = []
                for (i, node) in nodes.enumerated() {
                    let status = try? await http.get(host: "127.0.0.1", port: node.apiPort, path: "/api/v1/shares/\(shareHash)").0
                    if status != 200 { missing.append(i) }
                }
                if missing.count == nodes.count, await isBlockButNotShare(block.hash, nodes: nodes, http: http) {
                    // Met the block target but not the share target (Docs/PROTOCOL.md §3): never in
                    // the sharechain; its finder lists it with the share header it commits to.
                    notShares += 1
                    verified += 1
                } else if missing.isEmpty { verified += 1 } else {
                    unverified.append("height \(h) share \(shareHash): not accepted by node(s) \(missing.map { "\($0 + 1)" }.joined(separator: ","))")
                }
            }
        }
        if notShares > 0 { output("devnet: \(notShares) block(s) met the block target but not the share target (not shares)") }
        return Summary(blocksFound: height - startHeight, tipsAgree: Set(tips).count == 1 && tips.first != "none",
                       payoutsAgree: Set(payouts).count == 1 && !(payouts.first ?? "").isEmpty,
                       blocksVerified: verified, blocksUnverified: unverified, tips: tips, retention: retention)
    }

    /// Whether a node lists `hash` among its found blocks as one that is not a share.
    func isBlockButNotShare(_ hash: BlockHash, nodes: [NodeProcess], http: LocalHTTPClient) async -> Bool {
        for node in nodes {
            guard let rows = try? await jsonArray(http, node, "/api/v1/blocks") else { continue }
            if rows.contains(where: { $0["hash"]?.stringValue == hash.description && $0["is_share"]?.boolValue == false }) {
                return true
            }
        }
        return false
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
