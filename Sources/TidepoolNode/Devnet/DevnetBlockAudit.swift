import BitcoinPrimitives
import BitcoinRPC
import Foundation
import Sharechain

/// The devnet's promise about found blocks: every block the pool found commits to a
/// share that every node accepted (each rebuilt its TIDES coinbase), checked while the
/// nodes still hold that share. Nodes prune (Docs/PROTOCOL.md §10) and a node that joins
/// late starts from a root adopted from peers, so a node is excused for a share below its
/// lowest retained height; blocks are therefore audited during the run, a few seconds
/// after they are found, and once more at the end.
struct DevnetBlockAudit {
    /// A node as the audit sees it: where its API is.
    struct Node {
        var index: Int
        var apiPort: Int
    }

    /// Blocks whose share every node that should hold it accepted.
    private(set) var verified = 0
    /// Blocks that met the Bitcoin target but not the share target (never in the sharechain).
    private(set) var notShares = 0
    /// Blocks that failed, with why.
    private(set) var failures: [String] = []
    /// Node checks excused because the share lies below that node's retained history.
    private(set) var excusedByPruning = 0

    private var scannedTo: Int
    private var pending: [Int: String] = [:]

    /// An audit of the blocks above Bitcoin height `startHeight`.
    init(startHeight: Int) { scannedTo = startHeight }

    /// Checks every block up to `height` not settled yet; unsettled ones stay pending
    /// (a share still propagating, a node restarting).
    mutating func check(upTo height: Int, nodes: [Node], rpc: BitcoinRPCClient, http: LocalHTTPClient) async {
        if height > scannedTo {
            for h in (scannedTo + 1)...height { pending[h] = "not checked yet" }
            scannedTo = height
        }
        for h in pending.keys.sorted() {
            switch await checkBlock(h, nodes: nodes, rpc: rpc, http: http) {
            case .verified: verified += 1; pending[h] = nil
            case .notShare: notShares += 1; verified += 1; pending[h] = nil
            case .failed(let why): failures.append("height \(h): \(why)"); pending[h] = nil
            case .retry(let why): pending[h] = why
            }
        }
    }

    /// Ends the audit: blocks still pending fail with their last reason.
    mutating func finish() {
        for (h, why) in pending.sorted(by: { $0.key < $1.key }) { failures.append("height \(h): \(why)") }
        pending = [:]
    }

    /// Whether every block seen so far is settled and none failed.
    var isClean: Bool { pending.isEmpty && failures.isEmpty }

    private enum Verdict {
        case verified, notShare, failed(String), retry(String)
    }

    private mutating func checkBlock(_ h: Int, nodes: [Node], rpc: BitcoinRPCClient, http: LocalHTTPClient) async -> Verdict {
        guard let hashValue = try? await rpc.call("getblockhash", [.int(Int64(h))]), let hashHex = hashValue.stringValue,
              let blockValue = try? await rpc.call("getblock", [.string(hashHex), .int(0)]), let hex = blockValue.stringValue,
              let bytes = Hex.decode(hex), let block = try? Block(serialized: bytes),
              let coinbase = block.transactions.first
        else { return .retry("could not read the block") }
        guard let shareHash = coinbase.outputs.lazy.compactMap({ ShareCommitment.shareHash(in: $0.scriptPubKey) }).first else {
            return .failed("no share commitment (not mined by the pool)")
        }
        var shareHeight: Int?
        var without: [Node] = []
        for node in nodes {
            let answer = try? await http.get(host: "127.0.0.1", port: node.apiPort, path: "/api/v1/shares/\(shareHash)")
            if let (status, body) = answer, status == 200 {
                shareHeight = shareHeight ?? Self.object(body)?["height"] as? Int
            } else {
                without.append(node)
            }
        }
        if without.isEmpty { return .verified }
        guard let shareHeight else {
            if await Self.isBlockButNotShare(block.hash, nodes: nodes, http: http) { return .notShare }
            return .retry("share \(shareHash) is on no node")
        }
        var missing: [Int] = []
        for node in without {
            let status = try? await http.get(host: "127.0.0.1", port: node.apiPort, path: "/api/v1/status")
            guard let (code, body) = status, code == 200,
                  let retention = Self.object(body)?["retention"] as? [String: Any],
                  let lowest = retention["lowest_height"] as? Int
            else { missing.append(node.index); continue }  // down or restarting: ask again
            if lowest > shareHeight { excusedByPruning += 1 } else { missing.append(node.index) }
        }
        if missing.isEmpty { return .verified }
        return .retry("share \(shareHash) not accepted by node(s) \(missing.map(String.init).joined(separator: ","))")
    }

    /// Whether a node lists `hash` among its found blocks as one that is not a share.
    private static func isBlockButNotShare(_ hash: BlockHash, nodes: [Node], http: LocalHTTPClient) async -> Bool {
        for node in nodes {
            guard let (status, body) = try? await http.get(host: "127.0.0.1", port: node.apiPort, path: "/api/v1/blocks"),
                  status == 200, let rows = rows(body)
            else { continue }
            if rows.contains(where: { $0["hash"] as? String == hash.description && $0["is_share"] as? Bool == false }) {
                return true
            }
        }
        return false
    }

    private static func object(_ body: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }

    /// The rows of a list answer: a top-level array, or the array an object wraps.
    private static func rows(_ body: String) -> [[String: Any]]? {
        let value = try? JSONSerialization.jsonObject(with: Data(body.utf8))
        if let array = value as? [[String: Any]] { return array }
        return (value as? [String: Any])?.values.lazy.compactMap { $0 as? [[String: Any]] }.first
    }
}
