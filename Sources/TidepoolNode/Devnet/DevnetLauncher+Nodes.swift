import Foundation
import JSON

extension DevnetLauncher {
    /// The nodes of a run, and what starting one more takes (ports are allocated up front,
    /// three per node: Stratum, P2P, API).
    struct Cluster {
        var nodes: [NodeProcess] = []
        let work: String
        let ports: [Int]
        let bitcoin: BitcoinSide

        init(work: String, bitcoin: BitcoinSide, capacity: Int) throws {
            self.work = work
            self.bitcoin = bitcoin
            self.ports = try FreePorts.allocate(3 * capacity)
        }
    }

    /// Starts node `i` (0-based) of the cluster and reports its ports.
    func startNode(_ i: Int, in cluster: inout Cluster, children: ChildProcesses) throws {
        let node = try spawnNode(i, work: cluster.work, ports: cluster.ports, bitcoin: cluster.bitcoin)
        children.add(node.process)
        cluster.nodes.append(node)
        output("devnet: node \(i + 1) pid \(node.process.processIdentifier): stratum \(node.stratumPort), p2p \(node.p2pPort), api \(node.apiPort), log \(node.logPath)")
    }

    /// Starts node `i` (0-based), peered with every node before it, with the run's retention policy.
    func spawnNode(_ i: Int, work: String, ports: [Int], bitcoin: BitcoinSide) throws -> NodeProcess {
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

    func spawn(_ arguments: [String], log: String) throws -> Process {
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

    func waitForAPI(_ node: NodeProcess, http: LocalHTTPClient) async throws {
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

    /// The JSON object a node's API answers at `path`; nil when it answers something else.
    func json(_ http: LocalHTTPClient, _ node: NodeProcess, _ path: String) async throws -> JSONValue? {
        let (_, body) = try await http.get(host: "127.0.0.1", port: node.apiPort, path: path)
        let value = try JSONParser.parse(body)
        return value.objectValue != nil ? value : nil
    }

    /// The objects of the array a node's API answers at `path` (or of the first array member
    /// of the object it answers).
    func jsonArray(_ http: LocalHTTPClient, _ node: NodeProcess, _ path: String) async throws -> [JSONValue] {
        let (_, body) = try await http.get(host: "127.0.0.1", port: node.apiPort, path: path)
        let value = try JSONParser.parse(body)
        if let array = value.arrayValue, array.allSatisfy({ $0.objectValue != nil }) { return array }
        for member in value.objectValue ?? [] {
            if let array = member.value.arrayValue, array.allSatisfy({ $0.objectValue != nil }) { return array }
        }
        return []
    }

}
