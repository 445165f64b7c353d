import Foundation

extension DevnetLauncher {
    /// Starts `minersPerNode` CPU miners on every node. Each miner asks for another firmware
    /// coinbase class (cb=N: NerdMiner's 255 bytes, Bitaxe's 384-byte halves, a stock
    /// Antminer's 730 bytes, …) so every devnet run checks that nodes agree on shares and
    /// payouts of mixed classes.
    func startMiners(for nodes: [NodeProcess], work: String, children: ChildProcesses) throws -> [Process] {
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
        return miners
    }

    /// Stops mining and lets gossip settle. Node 1's miners stop last, after one more share:
    /// two nodes that ended on different tips of equal work (fork choice keeps the first
    /// seen) then converge on its extension.
    func stopMiners(_ miners: [Process], nodes: [NodeProcess], http: LocalHTTPClient) async {
        let firstNodeMiners = options.minersPerNode
        for m in miners.dropFirst(firstNodeMiners) { m.terminate() }
        for m in miners.dropFirst(firstNodeMiners) { await Self.exit(of: m) }
        if firstNodeMiners > 0, let first = nodes.first {
            let before = try? await json(http, first, "/api/v1/status")
            let beforeTip = before?["tip"]?["hash"]?.stringValue
            for _ in 0..<150 {
                try? await Task.sleep(for: .milliseconds(100))
                let now = try? await json(http, first, "/api/v1/status")
                if now?["tip"]?["hash"]?.stringValue != beforeTip { break }
            }
        }
        for m in miners.prefix(firstNodeMiners) { m.terminate() }
        for m in miners.prefix(firstNodeMiners) { await Self.exit(of: m) }
        output("devnet: miners stopped; waiting for the nodes to agree")
    }
}
