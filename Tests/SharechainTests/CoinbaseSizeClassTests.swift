import BitcoinPrimitives
import Sharechain
import SharechainTestSupport
import TIDES
import Testing

/// The coinbase size classes of share version 2: the budget arithmetic against
/// `Vectors/coinbase_classes.json` (computed independently by `generate_vectors.py`),
/// the largest coinbase of every class against its firmware limits, and validation.
@Suite struct CoinbaseSizeClassTests {
    static let witnessCommitment = Script([0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed] + [UInt8](repeating: 0x5a, count: 32))

    @Test func budgetArithmeticMatchesTheVectors() throws {
        let v = try SharechainVectors.load("coinbase_classes", as: CoinbaseClassVectors.self)
        #expect(v.classes.map(\.id) == CoinbaseSizeClass.allCases.map(\.rawValue))
        for row in v.classes {
            let c = try #require(CoinbaseSizeClass(rawValue: row.id))
            #expect(c.limits.coinb1 == row.coinb1Limit && c.limits.coinb2 == row.coinb2Limit
                    && c.limits.whole == row.wholeLimit, "\(row.name)")
            #expect(CoinbaseLayout.maxCoinb1Size == row.maxCoinb1)
            #expect(c.maxCoinb2 == row.maxCoinb2, "\(row.name)")
            #expect(c.outputCountSize == row.outputCountSize, "\(row.name)")
            #expect(c.payoutRoom == row.payoutRoom, "\(row.name)")
            #expect(c.payoutBudgetBytes == row.payoutBudgetBytes, "\(row.name)")
            #expect(c.payoutBudgetBytes - TidesParameters.lotteryReserveBytes == row.paidOutputsBytes)
        }
    }

    @Test func classesAreNestedAndBudgetsGrow() {
        let all = CoinbaseSizeClass.allCases
        for (small, large) in zip(all, all.dropFirst()) {
            #expect(small < large)
            #expect(small.payoutBudgetBytes < large.payoutBudgetBytes)
            // The largest coinbase of the smaller class fits the larger class.
            let worst = CoinbaseLayout.Halves(coinb1: CoinbaseLayout.maxCoinb1Size, coinb2: small.maxCoinb2)
            #expect(small.admits(worst) && large.admits(worst), "\(small) ⊂ \(large)")
        }
        #expect(CoinbaseSizeClass.safest == all.min())
        #expect(CoinbaseSizeClass(rawValue: 0) == nil && CoinbaseSizeClass(rawValue: 8) == nil)
    }

    @Test func weightCapFallsBackToSmallerClasses() {
        #expect(CoinbaseSizeClass.bytes16000.capped(toCoinbaseWeight: 4_000_000) == .bytes16000)
        #expect(CoinbaseSizeClass.bytes16000.capped(toCoinbaseWeight: 7_676) == .bytes730)  // Core's 8000 WU reserve less the header
        #expect(CoinbaseSizeClass.bytes730.capped(toCoinbaseWeight: 2_955) == .bytes500)
        #expect(CoinbaseSizeClass.bytes255.capped(toCoinbaseWeight: 100) == nil)
    }

    /// A full window of 10,000 distinct payees of one script kind, the longest height push
    /// and node tag, and a witness commitment: the largest coinbase a node can build.
    static func largestCoinbase(_ c: CoinbaseSizeClass, script: @Sendable (Int) -> Script) throws -> (StratumCoinbase, TidesSplit) {
        let shares = (0..<10_000).map { TidesShare(script: script($0), work: UInt256(1)) }
        let params = testParameters().tides(for: c)
        // work(N) ≈ 4096, so Z ≈ 32,768 holds all 10,000 shares.
        let split = try Tides.split(reward: Amount(satoshis: 312_500_000 as Int64)!, networkTarget: UInt256.max >> 12,
                                    sharesNewestFirst: shares, parameters: params, lotterySeed: .zero)
        let template = try CoinbaseTemplate(
            bitcoinHeight: CoinbaseLayout.maxHeight, coinbaseValue: Amount(satoshis: 312_500_000 as Int64)!,
            witnessCommitment: witnessCommitment, nodeTag: [UInt8](repeating: 0x54, count: CoinbaseTemplate.maxNodeTagSize),
            payouts: split.outputs, shareHash: ShareHash(rawHash: SHA256d.hash([7])))
        return (template.stratumCoinbase, split)
    }

    static func program(_ i: Int, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: (i >> (8 * ($0 % 2))) &+ $0) }
    }

    static let scriptKinds: [(String, @Sendable (Int) -> Script)] = [
        ("P2WPKH", { Script([0x00, 0x14] + program($0, count: 20)) }),
        ("P2TR", { Script([0x51, 0x20] + program($0, count: 32)) }),
        ("v16 40-byte program", { Script([0x60, 0x28] + program($0, count: 40)) }),
        ("v1 2-byte program", { Script([0x51, 0x02] + program($0, count: 2)) }),
    ]

    @Test("the largest coinbase of each class fits its firmware limits", arguments: CoinbaseSizeClass.allCases)
    func largestCoinbaseFits(_ c: CoinbaseSizeClass) throws {
        for (kind, script) in Self.scriptKinds {
            let (coinbase, split) = try Self.largestCoinbase(c, script: script)
            let halves = CoinbaseLayout.Halves(coinbase)
            #expect(halves.coinb1 == CoinbaseLayout.maxCoinb1Size, "\(c) \(kind)")
            #expect(c.admits(halves), "\(c) \(kind): \(halves) vs \(c.limits)")
            if let l = c.limits.coinb1 { #expect(coinbase.coinb1.count <= l) }
            if let l = c.limits.coinb2 { #expect(coinbase.coinb2.count <= l) }
            if let l = c.limits.whole { #expect(coinbase.coinb1.count + 12 + coinbase.coinb2.count <= l) }
            // Nothing is dropped: the lottery absorbs what does not fit.
            #expect(Amount.sum(split.outputs.map(\.amount)) == Amount(satoshis: 312_500_000 as Int64)!)
            #expect(split.budgeted.lotteryWinner != nil)
        }
    }

    @Test func paidOutputCountsPerClass() throws {
        let v = try SharechainVectors.load("coinbase_classes", as: CoinbaseClassVectors.self)
        for row in v.classes {
            let c = try #require(CoinbaseSizeClass(rawValue: row.id))
            let (_, wpkh) = try Self.largestCoinbase(c, script: Self.scriptKinds[0].1)
            let (_, tr) = try Self.largestCoinbase(c, script: Self.scriptKinds[1].1)
            #expect(wpkh.budgeted.paid.count == row.p2wpkhPaid, "\(c)")
            #expect(tr.budgeted.paid.count == row.p2trPaid, "\(c)")
        }
    }

    // MARK: Validation

    @Test func unknownClassIsRefusedAndPenalised() throws {
        var chain = Sharechain(parameters: testParameters())
        var tweaks = ShareFactory.Tweaks()
        tweaks.coinbaseSizeClassID = 0xee
        let share = ShareFactory().make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(1), tweaks: tweaks)
        #expect(throws: ShareRuleError.unknownCoinbaseSizeClass(0xee)) { try accept(share, into: &chain) }
        #expect(ShareRuleError.unknownCoinbaseSizeClass(0xee).penalty == .misbehaving(100))
    }

    @Test func validationUsesTheDeclaredClass() throws {
        var chain = Sharechain(parameters: testParameters())
        var factory = ShareFactory()
        var parent: ShareHash?
        for i in 0..<20 {
            let s = factory.make(on: &chain, parent: parent, timestamp: 1_700_000_000 + UInt64(i) * 10, script: payout(UInt8(i)))
            try accept(s, into: &chain)
            parent = s.hash
        }
        // Declared 730 and paid with the 730 budget: accepted, with outputs of their own.
        factory.coinbaseSizeClass = .bytes730
        let big = factory.make(on: &chain, parent: parent, timestamp: 1_700_000_300, script: payout(50))
        let validated = try chain.validate(big, now: 2_000_000_000)
        #expect(validated.split.budgeted.paid.count > 1)
        // Declared 255 but paying the 730 split: the rebuilt coinbase differs.
        factory.coinbaseSizeClass = .bytes255
        var tweaks = ShareFactory.Tweaks()
        tweaks.payouts = validated.split.outputs
        let lying = factory.make(on: &chain, parent: parent, timestamp: 1_700_000_300, script: payout(50), tweaks: tweaks)
        #expect(throws: ShareRuleError.merkleRootMismatch) { try chain.validate(lying, now: 2_000_000_000) }
    }

    @Test func coinbaseLargerThanItsClassIsRefused() throws {
        var factory = ShareFactory()
        factory.coinbaseSizeClass = .bytes255
        factory.witnessCommitment = Self.witnessCommitment
        // An honest scriptSig (height, "/tidepool/", extranonces) fits 255 bytes.
        var chain = Sharechain(parameters: testParameters())
        let honest = factory.make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(1))
        try accept(honest, into: &chain)
        // A 100-byte scriptSig makes coinb1 130 bytes: 130 + 12 + 134 = 276 > 255.
        var other = Sharechain(parameters: testParameters())
        var tweaks = ShareFactory.Tweaks()
        tweaks.scriptSig = Script(Script.coinbaseHeight(900_000).bytes + [UInt8](repeating: 0x41, count: 96))
        let long = factory.make(on: &other, parent: nil, timestamp: 1_700_000_000, script: payout(1), tweaks: tweaks)
        let expected = CoinbaseLayout.Halves(coinb1: 130, coinb2: 134)
        #expect(throws: ShareRuleError.coinbaseExceedsSizeClass(.bytes255, expected)) { try accept(long, into: &other) }
        // The same coinbase is fine for a class that admits it.
        factory.coinbaseSizeClass = .bytes500
        var third = Sharechain(parameters: testParameters())
        try accept(factory.make(on: &third, parent: nil, timestamp: 1_700_000_000, script: payout(1), tweaks: tweaks), into: &third)
    }

    @Test func consensusIDCoversTheClassTable() {
        var w = ByteWriter()
        CoinbaseSizeClass.encodeTable(to: &w)
        #expect(w.bytes.count == 1 + 7 * 17)
        #expect(SharechainParameters.standard(.mainnet).consensusID != SharechainParameters.standard(.testnet4).consensusID)
    }
}
