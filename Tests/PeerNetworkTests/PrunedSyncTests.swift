import BitcoinPrimitives
import PeerNetwork
import Sharechain
import SharechainTestSupport
import Testing
import TidepoolTestSupport

/// Issue 13: a fresh node joins a loopback network whose every node has pruned. It adopts
/// the root of the heaviest peer (buried under ≥ N shares), checks proof of work and
/// signatures of every share, trusts only the payouts of shares whose window reaches below
/// the root, then validates every new share in full and agrees on tip and payouts.
@Suite("PeerNetwork: sync from pruned peers")
struct PrunedSyncTests {
    @Test("a fresh node syncs from pruned nodes and agrees on tip and payouts", .timeLimit(.minutes(2)))
    func freshNodeSyncsFromPrunedPeers() async throws {
        var parameters = peerTestParameters()
        parameters.maximumForkDepth = 20
        let policy = RetentionPolicy(forkDepth: 20, batchShares: 10)
        var minter = ShareMinter()
        minter.bitcoinBits = CompactTarget(rawValue: 0x201f_ffff)  // Z = 64: about 32 shares of work 2
        let a = try await TestNode.start(parameters: parameters, retention: policy)
        let b = try await TestNode.start(parameters: parameters, retention: policy)
        await b.connect(to: a)
        try await eventually("a and b connected") {
            let (x, y) = (await a.manager.peerCount, await b.manager.peerCount)
            return x == 1 && y == 1
        }
        // b gets every share directly too: gossip alone may lag under load while a prunes the
        // shares b missed (b connected while a was empty, so it never syncs from a).
        for i in 0..<400 {
            let share = await a.mine(script: payoutScript(UInt8(i % 6)), minter: minter)
            _ = await b.chain.submit(share, from: .local)
        }
        try await eventually("b follows a") { await b.tip() == a.tip() }
        let rootA = try #require(await a.chain.chainRoot())
        #expect(await b.chain.chainRoot() != nil)
        #expect(await a.chain.retentionStatus().shares < 200)

        let c = try await TestNode.start(parameters: parameters)
        await c.connect(to: a)
        await c.connect(to: b)
        try await eventually("the fresh node reaches the pruned nodes' tip", timeout: .seconds(60)) {
            await c.tip() == a.tip()
        }
        let rootC = try #require(await c.chain.chainRoot())
        #expect(rootC.height >= rootA.height - 10 && rootC.height <= rootA.height + 200)
        let unverified = await c.chain.unverifiedPayoutShares
        #expect(unverified > 0 && unverified < 100, "only the first window's payouts are trusted: \(unverified)")
        try await expectSamePayouts(a, c, bits: minter.bitcoinBits)
        #expect(await c.chain.bestTip()?.work == a.chain.bestTip()?.work, "the root carries the pruned chain work")

        // New shares are validated in full by the fresh node (the window is above the root now).
        for i in 0..<30 { await a.mine(script: payoutScript(UInt8(i % 3)), minter: minter) }
        try await eventually("all three agree") {
            let (ta, tb, tc) = (await a.tip(), await b.tip(), await c.tip())
            return tc == ta && tb == ta
        }
        #expect(await c.chain.unverifiedPayoutShares == unverified)
        try await expectSamePayouts(a, c, bits: minter.bitcoinBits)
        await c.stop(); await b.stop(); await a.stop()
    }

    @Test("a root buried under fewer than N shares of the heaviest peer's claimed height is not adopted",
          .timeLimit(.minutes(2)))
    func shallowRootIsNotAdopted() async throws {
        var parameters = peerTestParameters()
        parameters.maximumForkDepth = 20
        var minter = ShareMinter()
        minter.bitcoinBits = CompactTarget(rawValue: 0x201f_ffff)
        let a = try await TestNode.start(parameters: parameters, retention: RetentionPolicy(forkDepth: 20, batchShares: 10))
        for i in 0..<300 { await a.mine(script: payoutScript(UInt8(i % 4)), minter: minter) }
        let root = try #require(await a.chain.chainRoot())
        // The fresh node considers forks up to 500 deep (policy, not in the consensus ID):
        // a's root, about 170 shares below its tip, is not buried deep enough for it.
        var cautious = parameters
        cautious.maximumForkDepth = 500
        let c = try await TestNode.start(parameters: cautious)
        await c.connect(to: a)
        try await eventually("c connected") { await c.manager.peerCount == 1 }
        try await Task.sleep(for: .seconds(1))
        #expect(await c.chain.chainRoot() == nil, "root at \(root.height) of 299 is not adopted")
        #expect(await c.tip() == nil)
        await c.stop(); await a.stop()
    }

    func expectSamePayouts(_ x: TestNode, _ y: TestNode, bits: CompactTarget) async throws {
        let target = try bits.target()
        let reward = ShareMinter().reward
        let split: @Sendable (inout Sharechain) throws -> [String] = { chain in
            try chain.split(parent: chain.bestTip, payoutScript: payoutScript(9), bits: CompactTarget(rawValue: 0x207f_ffff),
                            networkTarget: target, reward: reward)
                .outputs.map { "\($0.script.hex):\($0.amount.satoshis)" }
        }
        #expect(try await x.chain.withChain(split) == y.chain.withChain(split))
    }
}
