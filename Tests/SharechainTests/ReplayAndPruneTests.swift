import BitcoinPrimitives
import Sharechain
import SharechainTestSupport
import Testing

@Suite("Sharechain: replay, pruning and orphans")
struct ReplayAndPruneTests {
    /// Builds a chain of `count` shares with two forks, storing as a node would.
    func buildStored(count: Int, store: MemoryShareStore) throws -> Sharechain {
        var chain = Sharechain(parameters: testParameters())
        let f = ShareFactory()
        var parent: ShareHash?
        var time: UInt64 = 1_700_000_000
        for i in 0..<count {
            let bits = CompactTarget(rawValue: i % 3 == 0 ? 0x203f_ffff : 0x207f_ffff)
            let s = f.make(on: &chain, parent: parent, timestamp: time, script: payout(UInt8(i % 6)), bits: parent == nil ? CompactTarget(rawValue: 0x207f_ffff) : bits)
            let v = try chain.validate(s, now: 2_000_000_000)
            let outcome = chain.insert(v.summary)
            try store.commit(s, summary: v.summary, newTip: outcome.newTip)
            if i % 50 == 25, let p = parent {  // a losing side share
                let side = f.make(on: &chain, parent: p, timestamp: time + 1, script: payout(7))
                let sv = try chain.validate(side, now: 2_000_000_000)
                let so = chain.insert(sv.summary)
                try store.commit(side, summary: sv.summary, newTip: so.newTip)
            }
            parent = s.hash
            time += 10
        }
        return chain
    }

    func nextSplit(_ chain: inout Sharechain) throws -> TIDESSplitSnapshot {
        let f = ShareFactory()
        let split = try chain.split(parent: chain.bestTip, payoutScript: payout(42), bits: CompactTarget(rawValue: 0x207f_ffff),
                                    networkTarget: try f.bitcoinBits.target(), reward: f.reward)
        return TIDESSplitSnapshot(outputs: split.outputs.map { "\($0.script.hex):\($0.amount.satoshis)" }, work: split.windowWork)
    }

    struct TIDESSplitSnapshot: Equatable { var outputs: [String]; var work: UInt256 }

    @Test("replay rebuilds the same tip, chain work and TIDES split")
    func replay() throws {
        let store = MemoryShareStore()
        var live = try buildStored(count: 400, store: store)
        var progressCalls = 0
        var replayed = try Sharechain.replay(parameters: testParameters(), from: store, rootAnchorTimestamp: nil) { _, _ in progressCalls += 1 }
        #expect(replayed.bestTip == live.bestTip)
        #expect(replayed.best?.chainWork == live.best?.chainWork)
        #expect(try nextSplit(&replayed) == nextSplit(&live))
        #expect(progressCalls > 0)
    }

    @Test("pruning keeps the window's history; a replay of the pruned store agrees")
    func pruneThenReplay() throws {
        let store = MemoryShareStore()
        var live = try buildStored(count: 1500, store: store)
        let before = try nextSplit(&live)
        #expect(live.windowShareCount < 1100)  // Z ≈ 2,048 of work: the window is shorter than the chain
        let anchor = live.anchorTimestamp(of: live.bestTip!)
        let depth = UInt32(live.windowShareCount + 100)
        let height = live.prune(keepingDepth: depth)
        let removed = try store.prune(belowHeight: height)
        #expect(removed > 0)
        #expect(try nextSplit(&live) == before)
        var replayed = try Sharechain.replay(parameters: testParameters(), from: store, rootAnchorTimestamp: anchor)
        #expect(replayed.bestTip == live.bestTip)
        #expect(try nextSplit(&replayed) == before)
        #expect(replayed.requiredTarget(parent: replayed.bestTip) == live.requiredTarget(parent: live.bestTip))
    }

    @Test("orphans wait for their parent, are released in arrival order, and the pool is bounded")
    func orphans() throws {
        var chain = Sharechain(parameters: testParameters())
        let f = ShareFactory()
        var shares: [WireShare] = []
        var scratch = Sharechain(parameters: testParameters())
        var parent: ShareHash?
        for i in 0..<6 {
            let s = f.make(on: &scratch, parent: parent, timestamp: 1_700_000_000 + UInt64(i) * 10, script: payout(UInt8(i)))
            try accept(s, into: &scratch)
            shares.append(s)
            parent = s.hash
        }
        var pool = OrphanPool(capacity: 3, perSourceQuota: 3)
        // Deliver 1…5 before 0: each is an orphan of its parent.
        for s in shares[1...] {
            guard case .orphan = chain.precheck(s) else { Issue.record("\(s.hash) is not an orphan"); continue }
            pool.add(s)
        }
        #expect(pool.count == 3)  // 1 and 2 were evicted, oldest first
        #expect(pool.missingParents == [shares[2].hash])
        try accept(shares[0], into: &chain)
        #expect(pool.takeChildren(of: shares[0].hash).isEmpty)
        try accept(shares[1], into: &chain)
        try accept(shares[2], into: &chain)
        var released = pool.takeChildren(of: shares[2].hash).map(\.share)
        while let next = released.first {
            released.removeFirst()
            try accept(next, into: &chain)
            released += pool.takeChildren(of: next.hash).map(\.share)
        }
        #expect(chain.bestTip == shares[5].hash)
        #expect(pool.count == 0)
    }
}
