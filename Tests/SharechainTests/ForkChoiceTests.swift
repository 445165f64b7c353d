import BitcoinPrimitives
import Sharechain
import SharechainTestSupport
import TIDES
import Testing

@Suite("Sharechain: fork choice and reorgs against brute force")
struct ForkChoiceTests {
    struct Generated {
        var share: WireShare
        var parent: Int?
        var work: UInt256
    }

    /// Brute force: cumulative work by walking parents; best = most work, then first inserted.
    static func bruteForceBest(_ shares: [Generated], insertedOrder: [Int]) -> Int {
        func chainWork(_ i: Int) -> UInt256 {
            var total = UInt256.zero
            var cursor: Int? = i
            while let c = cursor { total += shares[c].work; cursor = shares[c].parent }
            return total
        }
        var best = insertedOrder[0]
        for i in insertedOrder.dropFirst() where chainWork(i) > chainWork(best) { best = i }
        return best
    }

    static func walkSplit(_ shares: [Generated], tip: Int, next: Script, factory: ShareFactory,
                          params: SharechainParameters) throws -> TidesSplit {
        var walk = [TidesShare(script: next, work: 2)]
        var cursor: Int? = tip
        while let c = cursor {
            walk.append(TidesShare(script: shares[c].share.header.payoutScript, work: shares[c].work))
            cursor = shares[c].parent
        }
        return try Tides.split(reward: factory.reward, networkTarget: try factory.bitcoinBits.target(),
                               sharesNewestFirst: walk, parameters: params.tides(for: .safest),
                               lotterySeed: shares[tip].share.hash.rawHash)
    }

    static let bitsChoices: [UInt32] = [0x207f_ffff, 0x203f_ffff, 0x2010_0000, 0x2001_0000]

    @Test("random trees: best tip and TIDES split match brute force after every share", arguments: 0..<6)
    func randomTrees(seed: Int) throws {
        var rng = SplitMix(seed: UInt64(seed))
        let params = testParameters()
        var chain = Sharechain(parameters: params)
        let factory = ShareFactory()
        var shares: [Generated] = []
        for i in 0..<120 {
            let parent: Int? = shares.isEmpty ? nil : max(0, shares.count - 1 - Int(rng.below(UInt64(min(shares.count, 25)))))
            let parentHash = parent.map { shares[$0].share.hash }
            var timestamp = parent.map { shares[$0].share.header.timestamp + 10 + rng.below(10) } ?? 1_700_000_000
            let bits = CompactTarget(rawValue: parent == nil ? 0x207f_ffff : Self.bitsChoices[Int(rng.below(4))])
            let script = payout(UInt8(rng.below(8)))
            var share = factory.make(on: &chain, parent: parentHash, timestamp: timestamp, script: script, bits: bits)
            while chain.index.contains(share.hash) {  // same parent, time, script and bits: same share
                timestamp += 1
                share = factory.make(on: &chain, parent: parentHash, timestamp: timestamp, script: script, bits: bits)
            }
            shares.append(Generated(share: share, parent: parent, work: try Work.of(bits: bits)))
            try accept(share, into: &chain)
            let expected = Self.bruteForceBest(shares, insertedOrder: Array(0...i))
            #expect(chain.bestTip == shares[expected].share.hash, "after share \(i)")
        }
        let best = Self.bruteForceBest(shares, insertedOrder: Array(shares.indices))
        let next = payout(99)
        let fromChain = try chain.split(parent: chain.bestTip, payoutScript: next, bits: CompactTarget(rawValue: 0x207f_ffff),
                                        networkTarget: try factory.bitcoinBits.target(), reward: factory.reward)
        #expect(fromChain == (try Self.walkSplit(shares, tip: best, next: next, factory: factory, params: params)))

        // A second node receiving the same shares in another valid order (by
        // height) agrees on the TIDES split of every tip it could pick.
        var other = Sharechain(parameters: params)
        for g in shares.sorted(by: { ($0.share.header.height, $0.share.hash.rawHash.internalHex) < ($1.share.header.height, $1.share.hash.rawHash.internalHex) }) {
            try accept(g.share, into: &other)
        }
        let otherTip = try #require(other.best)
        #expect(otherTip.chainWork == chain.best?.chainWork)
        let otherSplit = try other.split(parent: otherTip.hash, payoutScript: next, bits: CompactTarget(rawValue: 0x207f_ffff),
                                         networkTarget: try factory.bitcoinBits.target(), reward: factory.reward)
        let otherIndex = try #require(shares.firstIndex { $0.share.hash == otherTip.hash })
        #expect(otherSplit == (try Self.walkSplit(shares, tip: otherIndex, next: next, factory: factory, params: params)))
    }

    @Test("a deep reorg moves the window to the heavier branch exactly")
    func deepReorg() throws {
        let params = testParameters()
        var chain = Sharechain(parameters: params)
        let factory = ShareFactory()
        let genesis = factory.make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(0))
        try accept(genesis, into: &chain)
        var shares = [Generated(share: genesis, parent: nil, work: 2)]
        // Branch A: 300 light shares paying script 1.
        var tipA = 0
        for i in 0..<300 {
            let s = factory.make(on: &chain, parent: shares[tipA].share.hash, timestamp: 1_700_000_010 + UInt64(i) * 10,
                                 script: payout(1))
            shares.append(Generated(share: s, parent: tipA, work: 2))
            tipA = shares.count - 1
            try accept(s, into: &chain)
        }
        #expect(chain.bestTip == shares[tipA].share.hash)
        // Branch B from genesis: heavier shares paying script 2; overtakes A at some point.
        var tipB = 0
        var reorgDepth = 0
        for i in 0..<200 {
            let s = factory.make(on: &chain, parent: shares[tipB].share.hash, timestamp: 1_700_000_010 + UInt64(i) * 10,
                                 script: payout(2), bits: CompactTarget(rawValue: 0x203f_ffff))
            shares.append(Generated(share: s, parent: tipB, work: 4))
            tipB = shares.count - 1
            let outcome = try accept(s, into: &chain)
            if outcome.newTip != nil && outcome.reorgDepth > 0 { reorgDepth = outcome.reorgDepth }
        }
        #expect(chain.bestTip == shares[tipB].share.hash)
        #expect(reorgDepth == 300)
        let next = payout(9)
        let split = try chain.split(parent: chain.bestTip, payoutScript: next, bits: CompactTarget(rawValue: 0x207f_ffff),
                                    networkTarget: try factory.bitcoinBits.target(), reward: factory.reward)
        #expect(split == (try Self.walkSplit(shares, tip: tipB, next: next, factory: factory, params: params)))
        // And back to A's branch for a side-branch validation, then the best again.
        let sideSplit = try chain.split(parent: shares[tipA].share.hash, payoutScript: next, bits: CompactTarget(rawValue: 0x207f_ffff),
                                        networkTarget: try factory.bitcoinBits.target(), reward: factory.reward)
        #expect(sideSplit == (try Self.walkSplit(shares, tip: tipA, next: next, factory: factory, params: params)))
    }
}

/// Deterministic test randomness.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x1234_5678 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: UInt64) -> UInt64 { next() % n }
}

@Suite("Sharechain: competing first shares")
struct DisjointChainsTests {
    @Test("splits on two chains with different first shares each equal their own walk")
    func alternatingDisjointChains() throws {
        let params = testParameters()
        var chain = Sharechain(parameters: params)
        let factory = ShareFactory()
        // Two chains from two different first shares, paying different scripts.
        var tips: [ShareHash?] = [nil, nil]
        var walks: [[TidesShare]] = [[], []]
        for i in 0..<60 {
            let side = i % 2
            let script = payout(UInt8(side * 10 + i % 3))
            let s = factory.make(on: &chain, parent: tips[side], timestamp: 1_700_000_000 + UInt64(i / 2) * 10 + UInt64(side),
                                 script: script)
            try accept(s, into: &chain)
            tips[side] = s.hash
            walks[side].append(TidesShare(script: script, work: 2))
            // Validation of the next share on either side must see that side's window only.
            for other in 0..<2 where tips[other] != nil {
                let next = payout(99)
                let split = try chain.split(parent: tips[other], payoutScript: next, bits: CompactTarget(rawValue: 0x207f_ffff),
                                            networkTarget: try factory.bitcoinBits.target(), reward: factory.reward)
                let expected = try Tides.split(reward: factory.reward, networkTarget: try factory.bitcoinBits.target(),
                                               sharesNewestFirst: [TidesShare(script: next, work: 2)] + walks[other].reversed(),
                                               parameters: params.tides(for: .safest), lotterySeed: tips[other]!.rawHash)
                #expect(split == expected, "side \(other) after share \(i)")
            }
        }
    }
}
