import Foundation
import Logging
import NIOPosix
import Sharechain
import SharechainStore
import Testing
@testable import TidepoolNode

/// End-to-end: real `tidepool run` and `tidepool mine` processes on loopback
/// against the built-in devnet chain, driven by the same launcher as
/// `tidepool devnet`.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct DevnetEndToEndTests {
    /// The `tidepool` executable next to the test bundle in the build directory.
    static func executable() throws -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("tidepool").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "tidepool next to \(exe)"])
    }

    /// Collects the launcher's output lines for the failure message.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ l: String) { lock.withLock { lines.append(l) } }
        var all: String { lock.withLock { lines.joined(separator: "\n") } }
    }

    /// What the API check found, for assertions after the run.
    final class APIFindings: @unchecked Sendable {
        let lock = NSLock()
        var problems: [String] = []
        var checked = false
        var tip: String?
        func problem(_ p: String) { lock.withLock { problems.append(p) } }
    }

    @Test("3 nodes mine blocks, agree on tip and payouts, every coinbase is accepted everywhere; a SIGKILLed node resyncs")
    func threeNodesWithKilledNode() async throws {
        let lines = Lines()
        let findings = APIFindings()
        var options = DevnetLauncher.Options()
        options.nodes = 3
        options.minersPerNode = 1
        options.duration = 45
        options.workDirectory = NSTemporaryDirectory() + "tidepool-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        options.killAndRestart = (node: 3, after: 15, down: 4)
        options.beforeShutdown = { ports in
            await Self.checkAPI(ports: ports, findings: findings)
        }
        let launcher = DevnetLauncher(options: options, executable: try Self.executable(),
                                      logger: Logger(label: "e2e", factory: { _ in SwiftLogNoOpLogHandler() }),
                                      output: { lines.add($0) })
        let summary = try await launcher.run(stop: { false })
        launcher.report(summary)
        #expect(summary.blocksFound > 0, "\(lines.all)")
        #expect(summary.tipsAgree, "\(lines.all)")
        #expect(summary.payoutsAgree, "\(lines.all)")
        #expect(summary.blocksUnverified.isEmpty, "\(lines.all)")
        #expect(summary.blocksVerified == summary.blocksFound)
        #expect(summary.nodeExitStatuses == [0, 0, 0], "SIGTERM ends every node with status 0: \(lines.all)")
        #expect(lines.all.contains("node 3 killed with SIGKILL") && lines.all.contains("node 3 restarted"))
        #expect(findings.checked)
        #expect(findings.problems.isEmpty, "\(findings.problems)")
        // `tidepool audit` on every node's stopped data directory: the tip share's
        // coinbase recomputed from the local chain matches what was mined.
        let tip = try #require(findings.tip.flatMap { ShareHash(displayHex: $0) })
        for i in 1...options.nodes {
            let store = try LevelDBShareStore(path: DataDirectory.storePath(in: "\(options.workDirectory!)/node-\(i)"),
                                              logger: Logger(label: "e2e", factory: { _ in SwiftLogNoOpLogHandler() }))
            var audit = try CoinbaseAudit(parameters: SharechainParameters.standard(.devnet), store: store)
            let report = try audit.audit(share: tip)
            #expect(report.matches, "node \(i): \(report)")
        }
        if summary.passed && findings.problems.isEmpty {
            try? FileManager.default.removeItem(atPath: options.workDirectory!)  // kept with its logs on failure
        }
    }

    /// The API against the chain: the share list links up to the status tip, payouts
    /// sum to the template's reward, and /metrics reports the tip height.
    static func checkAPI(ports: [Int], findings: APIFindings) async {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let http = LocalHTTPClient(group: group)
        for port in ports {
            do {
                let (_, statusBody) = try await http.get(host: "127.0.0.1", port: port, path: "/api/v1/status")
                let status = try JSONSerialization.jsonObject(with: Data(statusBody.utf8)) as! [String: Any]
                let tip = status["tip"] as! [String: Any]
                findings.lock.withLock { findings.tip = tip["hash"] as? String }
                let (_, sharesBody) = try await http.get(host: "127.0.0.1", port: port, path: "/api/v1/shares?limit=50")
                let sharesJSON = try JSONSerialization.jsonObject(with: Data(sharesBody.utf8))
                let rows = (sharesJSON as? [[String: Any]]) ?? ((sharesJSON as? [String: Any])?["shares"] as? [[String: Any]]) ?? []
                if rows.first?["hash"] as? String != tip["hash"] as? String { findings.problem("port \(port): newest share is not the tip") }
                if rows.first?["height"] as? Int != tip["height"] as? Int { findings.problem("port \(port): tip height mismatch") }
                for (a, b) in zip(rows, rows.dropFirst()) where a["prev_hash"] as? String != b["hash"] as? String {
                    findings.problem("port \(port): share \(a["hash"] ?? "?") does not link to the next row")
                }
                let (_, payoutBody) = try await http.get(host: "127.0.0.1", port: port, path: "/api/v1/payouts")
                let payouts = try JSONSerialization.jsonObject(with: Data(payoutBody.utf8)) as! [String: Any]
                let total = (payouts["outputs"] as! [[String: Any]]).map { $0["amount"] as! Int }.reduce(0, +)
                if total <= 0 { findings.problem("port \(port): payouts pay nothing") }
                let (_, metrics) = try await http.get(host: "127.0.0.1", port: port, path: "/metrics")
                if !metrics.contains("tidepool_tip_height") { findings.problem("port \(port): /metrics lacks tidepool_tip_height") }
            } catch {
                findings.problem("port \(port): \(error)")
            }
        }
        findings.lock.withLock { findings.checked = true }
        try? await group.shutdownGracefully()
    }
}
