import BitcoinPrimitives
import Sharechain
import SharechainTestSupport
import TIDES
import Testing

/// Docs/PROTOCOL.md §10: a node that prunes by work (and restarts from its pruned store any
/// number of times) validates the same shares with the same targets, chain work and TIDES
/// splits as a node that keeps everything — also across a 4× Bitcoin difficulty rise that
/// widens the window.
@Suite("Sharechain: retention by work keeps consensus")
struct PruneConsensusTests {
    static let now: UInt64 = 2_000_000_000

    static func capacity(_ share: WireShare, _ p: SharechainParameters) -> UInt256 {
        try! Tides.windowCapacity(networkTarget: share.bitcoinHeader.bits.target(), multiplier: p.tides.windowMultiplier)
    }

    struct Snapshot: Equatable { var outputs: [String]; var work: UInt256 }

    static func nextSplit(_ chain: inout Sharechain, bits: CompactTarget) throws -> Snapshot {
        let f = ShareFactory()
        let split = try chain.split(parent: chain.bestTip, payoutScript: payout(42), bits: CompactTarget(rawValue: 0x203f_ffff),
                                    networkTarget: try bits.target(), reward: f.reward)
        return Snapshot(outputs: split.outputs.map { "\($0.script.hex):\($0.amount.satoshis)" }, work: split.windowWork)
    }

    @Test("a pruned, restarted chain agrees with an unpruned one on every share, target and split")
    func prunedAgreesWithUnpruned() throws {
        var parameters = testParameters()
        parameters.maximumForkDepth = 20
        let policy = RetentionPolicy(forkDepth: 20, batchShares: 10)
        var full = Sharechain(parameters: parameters)
        var pruned = Sharechain(parameters: parameters)
        let store = MemoryShareStore()
        var f = ShareFactory()
        f.bitcoinBits = CompactTarget(rawValue: 0x201f_ffff)  // work 8: Z = 64, about 13 shares
        var referenceCapacity = UInt256.zero
        var time: UInt64 = 1_700_000_000
        var prunes = 0, restarts = 0
        for i in 0..<900 {
            // A 4× Bitcoin difficulty rise (the largest one retarget allows) widens the window.
            if i == 450 { f.bitcoinBits = CompactTarget(rawValue: 0x2007_ffff) }  // Z = 256
            time += 5 + UInt64(i * 7 % 11)
            let bits = CompactTarget(rawValue: i == 0 ? 0x207f_ffff : i % 5 == 0 ? 0x201f_ffff : 0x203f_ffff)
            let parent = full.bestTip
            let share = f.make(on: &full, parent: parent, timestamp: time, script: payout(UInt8(i % 7)), bits: bits)
            var batch = [share]
            if i % 40 == 39, let p = parent, let grand = full.index[p]?.summary.previousShare {
                // A losing side share one below the tip (a shallow fork).
                batch.append(f.make(on: &full, parent: grand, timestamp: time + 1, script: payout(9), bits: bits))
            }
            for s in batch {
                let vf = try full.validate(s, now: Self.now)
                let vp = try pruned.validate(s, now: Self.now)
                #expect(vf.split == vp.split, "share \(i): same split")
                full.insert(vf.summary)
                let outcome = pruned.insert(vp.summary)
                try store.commit(s, summary: vp.summary, newTip: outcome.newTip)
                referenceCapacity = max(referenceCapacity, Self.capacity(s, parameters))
            }
            if i % 10 == 0, let height = pruned.pruneHeight(policy: policy, referenceCapacity: referenceCapacity) {
                let maybeRoot = pruned.prune(belowHeight: height)
                let root = try #require(maybeRoot)
                _ = try store.prune(to: PruneState(root: root, referenceCapacity: referenceCapacity))
                prunes += 1
            }
            if i % 97 == 96 {
                pruned = try Sharechain.replay(parameters: parameters, from: store)
                restarts += 1
            }
            #expect(pruned.bestTip == full.bestTip)
            #expect(pruned.best?.chainWork == full.best?.chainWork)
            #expect(pruned.requiredTarget(parent: pruned.bestTip) == full.requiredTarget(parent: full.bestTip))
        }
        #expect(prunes >= 20 && restarts >= 9)
        #expect(pruned.index.count < 320 && full.index.count > 900)
        #expect(try store.count() == pruned.index.count)
        #expect(try Self.nextSplit(&pruned, bits: f.bitcoinBits) == Self.nextSplit(&full, bits: f.bitcoinBits))
        // The retained best chain's work is the chain work above the root.
        #expect(pruned.retainedWork == full.best!.chainWork - pruned.root!.baseChainWork)
    }

    @Test("the prune height keeps N shares, then windowMultiple × Zref of work, and waits for a batch")
    func pruneHeightRule() throws {
        var parameters = testParameters()
        parameters.maximumForkDepth = 30
        var chain = Sharechain(parameters: parameters)
        let f = ShareFactory()
        var time: UInt64 = 1_700_000_000
        for _ in 0..<200 {
            time += 10
            // 0x207fffff: work 2 per share.
            let s = f.make(on: &chain, parent: chain.bestTip, timestamp: time, script: payout(1))
            chain.insert(try chain.validate(s, now: Self.now).summary)
        }
        // Tip 199; N = 30 → F at 169; 4 × Z = 4 × 40 = 160 work = 80 shares: 169 … 90 kept.
        let policy = RetentionPolicy(forkDepth: 30, batchShares: 10)
        #expect(chain.pruneHeight(policy: policy, referenceCapacity: UInt256(40)) == 90)
        #expect(chain.pruneHeight(policy: RetentionPolicy(forkDepth: 30, batchShares: 91), referenceCapacity: UInt256(40)) == nil)
        #expect(chain.pruneHeight(policy: policy, referenceCapacity: UInt256(400)) == nil)  // not enough history
        let maybeRoot = chain.prune(belowHeight: 90)
        let root = try #require(maybeRoot)
        #expect(root.height == 90 && root.baseChainWork == UInt256(180) && root.anchorTimestamp == 1_700_000_010)
        #expect(chain.index.lowestHeight == 90 && chain.index.count == 110)
    }

    @Test("ChainRoot and PruneState encodings (test vector)")
    func encodings() throws {
        let root = ChainRoot(height: 0x0102_0304, hash: ShareHash(rawHash: Hash256(bytes: [UInt8](repeating: 0xab, count: 32))!),
                             anchorTimestamp: 0x1122_3344_5566_7788, baseChainWork: UInt256(0x0100))
        let bytes = root.serialized
        #expect(bytes.count == ChainRoot.encodedSize)
        #expect(Hex.encode(bytes) == "04030201" + String(repeating: "ab", count: 32) + "8877665544332211"
                    + "0001" + String(repeating: "00", count: 30))
        #expect(try ChainRoot(serialized: bytes) == root)
        let state = PruneState(root: root, referenceCapacity: UInt256(7))
        #expect(try PruneState(serialized: state.serialized) == state)
        #expect(state.serialized.count == 109)
        #expect(Hex.encode(state.serialized.suffix(33)) == "07" + String(repeating: "00", count: 32))
        let adopted = PruneState(root: root, referenceCapacity: .zero, adoptedFromPeers: true)
        #expect(try PruneState(serialized: adopted.serialized) == adopted)
        #expect(throws: ConsensusDecodingError.self) { try PruneState(serialized: Array(adopted.serialized.dropLast()) + [2]) }
        #expect(throws: ConsensusDecodingError.self) { try ChainRoot(serialized: Array(bytes.dropLast())) }
    }

    @Test("rule 14a: a window below the own root is refused; below an adopted root it is trusted and counted")
    func windowBelowTheRoot() throws {
        var full = Sharechain(parameters: testParameters())
        let f = ShareFactory()  // Z ≈ 2,048 of work: the window spans the whole 100-share chain
        var shares: [WireShare] = []
        for _ in 0..<100 {
            let s = f.next(on: &full, script: payout(UInt8(shares.count % 4)))
            try accept(s, into: &full)
            shares.append(s)
        }
        var pruned = full
        let maybeRoot = pruned.prune(belowHeight: 50)
        let root = try #require(maybeRoot)
        let next = f.next(on: &full, script: payout(5))
        #expect(throws: ShareRuleError.windowBeyondRetainedHistory) { try pruned.validate(next, now: Self.now) }
        #expect(ShareRuleError.windowBeyondRetainedHistory.penalty == .none)
        #expect(try full.validate(next, now: Self.now).summary.hash == next.hash)

        // A node that adopted the root from peers: the root share needs no parent, its
        // descendants are checked except for payouts, which are counted.
        var fresh = Sharechain(parameters: testParameters())
        let adopted = fresh.adopt(root: root)
        #expect(adopted)
        #expect(fresh.precheck(shares[50]) == .orphan(missingParent: shares[50].header.previousShare))
        #expect(throws: ShareRuleError.notTheAdoptedRoot) { try fresh.validateRoot(shares[51], now: Self.now) }
        fresh.insert(try fresh.validateRoot(shares[50], now: Self.now).summary)
        for s in shares[51...] { fresh.insert(try fresh.validate(s, now: Self.now).summary) }
        fresh.insert(try fresh.validate(next, now: Self.now).summary)
        #expect(fresh.unverifiedPayoutShares == 50)
        full.insert(try full.validate(next, now: Self.now).summary)
        #expect(fresh.bestTip == full.bestTip && fresh.best?.chainWork == full.best?.chainWork)
        #expect(fresh.requiredTarget(parent: fresh.bestTip) == full.requiredTarget(parent: full.bestTip))
        let adoptedAgain = fresh.adopt(root: root)
        #expect(!adoptedAgain, "only an empty chain adopts a root")
    }
}
