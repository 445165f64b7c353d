import PeerNetwork
import PeerProtocol
import Sharechain
import Testing
import TidepoolTestSupport

@Suite("PeerNetwork: in-process nodes on loopback", .serialized)
struct NetworkTopologyTests {
    enum Topology: String, CaseIterable, Sendable { case line, ring, star }

    func wire(_ nodes: [TestNode], _ topology: Topology) async {
        switch topology {
        case .line:
            for i in 1..<nodes.count { await nodes[i].connect(to: nodes[i - 1]) }
        case .ring:
            for i in 0..<nodes.count { await nodes[(i + 1) % nodes.count].connect(to: nodes[i]) }
        case .star:
            for i in 1..<nodes.count { await nodes[i].connect(to: nodes[0]) }
        }
    }

    func expectedLinks(_ n: Int, _ topology: Topology) -> [Int] {
        switch topology {
        case .line: return (0..<n).map { $0 == 0 || $0 == n - 1 ? 1 : 2 }
        case .ring: return Array(repeating: 2, count: n)
        case .star: return [n - 1] + Array(repeating: 1, count: n - 1)
        }
    }

    @Test("a share published anywhere reaches every node", arguments: Topology.allCases)
    func propagation(topology: Topology) async throws {
        try await withNodes(7) { nodes in
            await wire(nodes, topology)
            let links = expectedLinks(nodes.count, topology)
            try await eventually("links") {
                for (n, l) in zip(nodes, links) where await n.manager.peerCount != l { return false }
                return true
            }
            // Publish from the ends and the middle, in turn.
            for (round, origin) in [nodes.count - 1, 0, nodes.count / 2, 1].enumerated() {
                let share = await nodes[origin].mine(script: payoutScript(UInt8(round + 1)))
                try await eventually("share \(round) everywhere") { await allAt(nodes, share.hash) }
            }
            #expect(await nodes[0].chain.bestTip()?.height == 3)
            for n in nodes { #expect(n.manager.isSynced) }
        }
    }

    @Test("a partition mined on both sides heals to the heaviest chain everywhere")
    func partitionHeals() async throws {
        try await withNodes(6) { nodes in
            await wire(nodes, .line)
            try await eventually("line up") { await nodes[2].manager.peerCount == 2 && nodes[3].manager.isSynced }
            let common = await nodes[0].mine(script: payoutScript(1))
            try await eventually("common share") { await allAt(nodes, common.hash) }

            // Split {0,1,2} | {3,4,5}.
            await nodes[3].manager.removePeer(nodes[2].address)
            try await eventually("split") {
                let a = await nodes[2].manager.peerCount, b = await nodes[3].manager.peerCount
                return a == 1 && b == 1
            }
            let left = Array(nodes[0...2]), right = Array(nodes[3...5])
            var leftTip = common.hash
            for i in 0..<3 { leftTip = await left[i % 3].mine(script: payoutScript(10)).hash
                try await eventually("left \(i)") { await allAt(left, leftTip) } }
            var rightTip = common.hash
            for i in 0..<6 { rightTip = await right[i % 3].mine(script: payoutScript(20)).hash
                try await eventually("right \(i)") { await allAt(right, rightTip) } }
            #expect(await allAt(left, leftTip))

            // Heal: everyone follows the right side's longer (heavier) chain.
            await nodes[3].connect(to: nodes[2])
            try await eventually("heal") { await allAt(nodes, rightTip) }
            #expect(await nodes[0].chain.bestTip()?.height == 6)
        }
    }

    @Test("a late joiner syncs to the same tip and the same TIDES split")
    func lateJoiner() async throws {
        try await withNodes(5) { nodes in
            await wire(nodes, .line)
            try await eventually("line up") { await nodes[4].manager.peerCount == 1 && nodes[4].manager.isSynced }
            var tip = ShareHash.none
            // Shares from one miner never fork; round-robin miners wait for propagation
            // (equal-work forks are kept by first-seen order, which may differ per node).
            for i in 0..<100 { tip = await nodes[0].mine(script: payoutScript(UInt8(1 + i % 7))).hash }
            try await eventually("first 100") { await allAt(nodes, tip) }
            for i in 0..<20 {
                tip = await nodes[i % 5].mine(script: payoutScript(UInt8(1 + i % 7))).hash
                try await eventually("share \(i)") { await allAt(nodes, tip) }
            }
            try await eventually("all at tip") { await allAt(nodes, tip) }

            // A lone joiner would latch after the grace period; with 600 s it can only
            // become synced through its peers, so `!isSynced` holds however slow the machine.
            let joiner = try await TestNode.start(tweak: { $0.syncGracePeriod = .seconds(600) })
            #expect(!joiner.manager.isSynced)
            for i in [0, 2, 4] { await joiner.connect(to: nodes[i]) }
            try await eventually("joiner synced") { await joiner.tip() == tip && joiner.manager.isSynced }
            var a = await nodes[0].chain.snapshot(), b = await joiner.chain.snapshot()
            let target = try ShareMinter().bitcoinBits.target()
            let splitA = try a.split(parent: tip, payoutScript: payoutScript(99), bits: .init(rawValue: 0x207f_ffff),
                                     networkTarget: target, reward: ShareMinter().reward)
            let splitB = try b.split(parent: tip, payoutScript: payoutScript(99), bits: .init(rawValue: 0x207f_ffff),
                                     networkTarget: target, reward: ShareMinter().reward)
            #expect(splitA == splitB)
            await joiner.stop()
        }
    }

    @Test("a lone node counts as synced after the grace period")
    func loneNodeSynced() async throws {
        let started = ContinuousClock.now
        let node = try await TestNode.start(tweak: { $0.syncGracePeriod = .seconds(1) })
        try await eventually("synced", timeout: .seconds(10)) { node.manager.isSynced }
        // Not before the grace period (measured from before the start: load cannot fake it).
        #expect(ContinuousClock.now - started >= .seconds(1))
        await node.stop()
    }

    @Test("a found block is relayed in full and handed to every node's bitcoind")
    func blockRelay() async throws {
        let received = BlockInbox()
        var nodes: [TestNode] = []
        for _ in 0..<4 { nodes.append(try await TestNode.start(blocks: { await received.add($0) })) }
        await wire(nodes, .line)
        try await eventually("links") {
            let a = await nodes[3].manager.peerCount, b = await nodes[1].manager.peerCount
            return a == 1 && b == 2
        }
        var header = [UInt8](repeating: 0, count: 80)
        header[72] = 0xff; header[73] = 0xff; header[74] = 0x7f; header[75] = 0x20  // bits 0x207fffff
        var block = header + [0]
        while true {  // grind the nonce until the header meets its own (trivial) target
            let m = BlockMessage(bytes: block)
            if m.blockHash.rawHash.bytes.last! < 0x7f { break }
            block[76] &+= 1
        }
        await nodes[0].manager.relayBlock(block)
        try await eventually("block at 3 peers") { await received.count == 3 }
        // In full: every node's bitcoind gets the very bytes the finder relayed.
        #expect(await received.blocks == [[UInt8]](repeating: block, count: 3))
        for n in nodes { await n.stop() }
    }
}

actor BlockInbox {
    var blocks: [[UInt8]] = []
    var count: Int { blocks.count }
    func add(_ b: [UInt8]) { blocks.append(b) }
}
