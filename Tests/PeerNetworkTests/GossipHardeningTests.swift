import BitcoinPrimitives
import NIOCore
import PeerNetwork
import PeerProtocol
import Sharechain
import SharechainTestSupport
import Testing
import TidepoolTestSupport

/// Issue 11 (items 10, 11): request amplification and `inv` withholding, over loopback.
@Suite("PeerNetwork: gossip attacks", .serialized)
struct GossipHardeningTests {
    @Test("a getshares naming one hash 500 times is answered with one share, not 500")
    func duplicateRequestIsNotAmplified() async throws {
        try await withNodes(1) { nodes in
            let victim = nodes[0]
            let share = await victim.mine()
            let attacker = try await RawPeer.connect(to: victim.port)
            try await attacker.send(.getshares(GetSharesMessage(hashes: [ShareHash](repeating: share.hash, count: 500))))
            try await eventually("shares answer") { attacker.received.contains { if case .shares = $0 { true } else { false } } }
            let answers = attacker.received.compactMap { if case .shares(let m) = $0 { m } else { nil } }
            #expect(answers.map(\.shares.count) == [1])
            #expect(answers.first?.shares.first?.hash == share.hash)
            await attacker.close()
        }
    }

    @Test("a peer that announces a share and answers without it does not block it: the next announcer is asked at once")
    func invWithholding() async throws {
        // A request timeout far beyond the test's patience: only an immediate re-request passes.
        let victim = try await TestNode.start(tweak: { $0.gossipRequestTimeout = .seconds(600) })
        do {
            var snapshot = await victim.chain.snapshot()
            let share = ShareMinter().next(on: &snapshot, script: payoutScript(9))
            let withholder = try await RawPeer.connect(to: victim.port)
            let honest = try await RawPeer.connect(to: victim.port)
            func asked(_ p: RawPeer) -> Bool {
                p.received.contains { if case .getshares(let m) = $0 { m.hashes.contains(share.hash) } else { false } }
            }
            try await withholder.send(.inv(InvMessage(hashes: [share.hash])))
            try await eventually("victim asks the withholder") { asked(withholder) }
            // The honest peer announces the same share while the withholder's request is pending.
            try await honest.send(.inv(InvMessage(hashes: [share.hash])))
            try await honest.roundTrip()
            #expect(!asked(honest))
            // The withholder answers without it.
            try await withholder.send(.shares(SharesMessage(shares: [])))
            try await eventually("victim asks the honest announcer", timeout: .seconds(10)) { asked(honest) }
            try await honest.send(.shares(SharesMessage(shares: [share])))
            try await eventually("share accepted") { await victim.tip() == share.hash }
            await withholder.close()
            await honest.close()
        } catch {
            await victim.stop()
            throw error
        }
        await victim.stop()
    }

    @Test("the sender of an orphan copy that fails once its parent arrives is penalised (100: banned)")
    func failedOrphanIsCharged() async throws {
        try await withNodes(1) { nodes in
            let victim = nodes[0]
            var scratch = await victim.chain.snapshot()
            let minter = ShareMinter()
            var chain: [WireShare] = []
            for i in 0..<3 {
                let share = minter.next(on: &scratch, script: payoutScript(UInt8(20 + i)))
                try accept(share, into: &scratch)
                chain.append(share)
            }
            var bogus = chain[2]
            bogus.merkleBranch = [Hash256(bytes: [UInt8](repeating: 9, count: 32))!]
            let attacker = try await RawPeer.connect(to: victim.port, from: attackerIP)
            try await attacker.send(.shares(SharesMessage(shares: [bogus])))
            try await attacker.roundTrip()
            #expect(await victim.chain.orphanCount == 1)
            let honest = try await RawPeer.connect(to: victim.port)
            try await honest.send(.shares(SharesMessage(shares: chain)))
            try await eventually("real chain accepted") { await victim.tip() == chain[2].hash }
            try await eventually("bogus sender banned") { victim.manager.isBanned(attackerIP) }
            #expect(!victim.manager.isBanned("127.0.0.1"))
            await honest.close()
        }
    }
}
