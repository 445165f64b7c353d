import BitcoinPrimitives
import PeerNetwork
import Sharechain
import SharechainService
import SharechainTestSupport
import NIOConcurrencyHelpers
import Testing
import TidepoolTestSupport

/// The hooks the node's metrics hang on: `LocalShareChain`'s `onEvent` and
/// `PeerManagerConfiguration.onPeerCountChange` report things as they happen.
@Suite("PeerNetwork: event hooks")
struct EventHookTests {
    @Test("the chain reports accepted, refused, orphaned and released shares, tips and its size")
    func chainEvents() async throws {
        let events = NIOLockedValueBox<[ShareChainEvent]>([])
        let chain = try LocalShareChain(parameters: peerTestParameters(), store: InMemoryShareStore(),
                                        onEvent: { e in events.withLockedValue { $0.append(e) } })
        #expect(events.withLockedValue { $0 } == [.stored(count: 0)])
        events.withLockedValue { $0 = [] }
        let peer = PeerID(rawValue: 7)

        // Ours, accepted; then the same share again from a peer.
        var snap = await chain.snapshot()
        let first = ShareMinter().next(on: &snap, script: payoutScript(1))
        guard case .accepted = await chain.submit(first, from: .local) else { Issue.record("refused"); return }
        _ = await chain.submit(first, from: peer)
        #expect(events.withLockedValue { $0 } == [.accepted(local: true), .newTip(height: 0), .stored(count: 1),
                                            .duplicate(local: false)])
        events.withLockedValue { $0 = [] }

        // A peer's share with a bad signature.
        var snapBad = await chain.snapshot()
        let bad = ShareMinter().next(on: &snapBad, script: payoutScript(2), corruptSignature: true)
        _ = await chain.submit(bad, from: peer)
        #expect(events.withLockedValue { $0 } == [.refused(.badSignature, local: false)])
        events.withLockedValue { $0 = [] }

        // A child before its parent: orphaned, then released with the parent.
        var snap2 = await chain.snapshot()
        let parent = ShareMinter().next(on: &snap2, script: payoutScript(3))
        _ = try accept(parent, into: &snap2)
        let child = ShareMinter().next(on: &snap2, script: payoutScript(4))
        _ = await chain.submit(child, from: peer)
        _ = await chain.submit(parent, from: peer)
        #expect(events.withLockedValue { $0 } == [
            .orphaned(local: false),
            .accepted(local: false), .newTip(height: 1), .stored(count: 2),
            .accepted(local: false), .newTip(height: 2), .stored(count: 3),
        ])
    }

    @Test("pruning below the retained depth is reported with the number of shares dropped")
    func pruned() async throws {
        let pruned = NIOLockedValueBox(0), stored = NIOLockedValueBox(0)
        let chain = try LocalShareChain(parameters: peerTestParameters(), store: InMemoryShareStore(), retainedDepth: 10,
                                        onEvent: { e in
                                            if case .pruned(let n) = e { pruned.withLockedValue { $0 += n } }
                                            if case .stored(let n) = e { stored.withLockedValue { $0 = n } }
                                        })
        // Pruning starts once the tip is 1,000 shares above the retained depth.
        for _ in 0..<1_012 {
            var snap = await chain.snapshot()
            let share = ShareMinter().next(on: &snap, script: payoutScript(1))
            guard case .accepted = await chain.submit(share, from: .local) else { Issue.record("refused"); return }
        }
        #expect(pruned.withLockedValue { $0 } > 0)
        #expect(stored.withLockedValue { $0 } + pruned.withLockedValue { $0 } == 1_012)
    }

    @Test("the manager reports its established connections as they come and go", .timeLimit(.minutes(2)))
    func peerCount() async throws {
        let counts = NIOLockedValueBox<[Int]>([])
        let a = try await TestNode.start(tweak: { config in
            config.onPeerCountChange = { n in counts.withLockedValue { $0.append(n) } }
        })
        let b = try await TestNode.start()
        await b.connect(to: a)
        try await eventually("a's peer count reported as 1") { counts.withLockedValue { $0.last } == 1 }
        await b.stop()
        try await eventually("a's peer count reported as 0") { counts.withLockedValue { $0.last } == 0 }
        await a.stop()
        #expect(counts.withLockedValue { $0 }.first == 1)
    }
}
