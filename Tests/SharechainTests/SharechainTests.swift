import BitcoinPrimitives
import Ed25519
import Sharechain
import SharechainTestSupport
import TIDES
import Testing

@Suite("Sharechain: acceptance and TIDES at the tip")
struct SharechainAcceptanceTests {
    @Test("a linear chain is accepted and its split equals the walk over its shares")
    func linearChain() throws {
        var chain = Sharechain(parameters: testParameters())
        let factory = ShareFactory()
        var parent: ShareHash?
        var shares: [TidesShare] = []
        for i in 0..<40 {
            let script = payout(UInt8(i % 5))
            let share = factory.make(on: &chain, parent: parent, timestamp: 1_700_000_000 + UInt64(i) * 10, script: script)
            let outcome = try accept(share, into: &chain)
            #expect(outcome.newTip == share.hash)
            parent = share.hash
            shares.append(TidesShare(script: script, work: try Work.of(bits: share.header.bits)))
        }
        #expect(chain.bestTip == parent)
        #expect(chain.best?.height == 39)
        // The split for the next share equals a direct walk over all shares.
        let next = payout(9)
        let networkTarget = try factory.bitcoinBits.target()
        let fromChain = try chain.split(parent: parent, payoutScript: next, bits: CompactTarget(rawValue: 0x207f_ffff),
                                        networkTarget: networkTarget, reward: factory.reward)
        let walk = [TidesShare(script: next, work: 2)] + shares.reversed()
        let direct = try Tides.split(reward: factory.reward, networkTarget: networkTarget, sharesNewestFirst: walk,
                                     parameters: chain.parameters.tides(for: .safest), lotterySeed: parent!.rawHash)
        #expect(fromChain == direct)
    }

    @Test("the ASERT schedule eases late shares and hardens early ones")
    func schedule() throws {
        var chain = Sharechain(parameters: testParameters())
        let factory = ShareFactory()
        let g = factory.make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(1))
        try accept(g, into: &chain)
        let onTime = chain.requiredTarget(parent: g.hash)
        #expect(onTime == (try CompactTarget(rawValue: 0x207f_ffff).target()))  // clamped at the maximum
        // Shares far ahead of schedule (1 s apart, interval 10 s): the target hardens.
        var parent = g.hash
        for i in 1...200 {
            let s = factory.make(on: &chain, parent: parent, timestamp: 1_700_000_000 + UInt64(i), script: payout(1),
                                 bits: CompactTarget(target: chain.requiredTarget(parent: parent)))
            try accept(s, into: &chain)
            parent = s.hash
        }
        #expect(chain.requiredTarget(parent: parent) < onTime)
    }
}

@Suite("Sharechain: every rule, violated once")
struct ShareRuleTests {
    /// A chain with a genesis share and one child, plus the factory.
    func setup() throws -> (Sharechain, ShareFactory, ShareHash) {
        var chain = Sharechain(parameters: testParameters())
        let factory = ShareFactory()
        let g = factory.make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(1))
        try accept(g, into: &chain)
        let c = factory.make(on: &chain, parent: g.hash, timestamp: 1_700_000_010, script: payout(2))
        try accept(c, into: &chain)
        return (chain, factory, c.hash)
    }

    func expectRejected(_ expected: ShareRuleError, banScore: Int?, _ build: (inout Sharechain, ShareFactory, ShareHash) -> WireShare) throws {
        var (chain, factory, tip) = try setup()
        let share = build(&chain, factory, tip)
        #expect(throws: expected) { try chain.validate(share, now: 2_000_000_000) }
        #expect(expected.penalty == (banScore.map { .misbehaving($0) } ?? .none))
    }

    @Test func duplicate() throws {
        var (chain, factory, tip) = try setup()
        let s = factory.make(on: &chain, parent: tip, timestamp: 1_700_000_020, script: payout(3))
        try accept(s, into: &chain)
        #expect(chain.precheck(s) == .duplicate)
    }

    @Test func orphan() throws {
        let missing = ShareHash(rawHash: SHA256d.hash([42]))
        var (chain, factory, _) = try setup()
        var other = Sharechain(parameters: testParameters())
        let g = factory.make(on: &other, parent: nil, timestamp: 1_700_000_000, script: payout(4))
        _ = g
        let s = factory.make(on: &chain, parent: nil, timestamp: 1_700_000_020, script: payout(3))
        var header = s.header
        header.previousShare = missing
        header.height = 5
        let orphan = WireShare(header: header, signature: testKey.sign(header.signingMessage), bitcoinHeader: s.bitcoinHeader,
                               coinbaseScriptSig: s.coinbaseScriptSig, coinbaseValue: s.coinbaseValue,
                               witnessCommitment: s.witnessCommitment, merkleBranch: s.merkleBranch)
        #expect(chain.precheck(orphan) == .orphan(missingParent: missing))
        // An orphan broke no rule (no penalty): it is a `SubmitOutcome`, not a `ShareRuleError`.
        #expect(chain.precheck(s) == nil)
    }

    @Test func wrongConsensusID() throws {
        let other = testParameters(network: .regtest).consensusID
        try expectRejected(.wrongConsensusID(other), banScore: 20) { chain, f, tip in
            var t = ShareFactory.Tweaks(); t.consensusID = other
            return f.make(on: &chain, parent: tip, timestamp: 1_700_000_020, script: payout(3), tweaks: t)
        }
    }

    @Test func unsupportedVersion() throws {
        try expectRejected(.unsupportedVersion(3), banScore: 20) { chain, f, tip in
            var t = ShareFactory.Tweaks(); t.version = 3
            return f.make(on: &chain, parent: tip, timestamp: 1_700_000_020, script: payout(3), tweaks: t)
        }
    }

    @Test func futureTimestamp() throws {
        var (chain, factory, tip) = try setup()
        let s = factory.make(on: &chain, parent: tip, timestamp: 2_000_000_601, script: payout(3))
        #expect(throws: ShareRuleError.timestampTooFarInFuture(timestamp: 2_000_000_601, now: 2_000_000_000)) {
            try chain.validate(s, now: 2_000_000_000)
        }
        // The same share is fine once local time catches up.
        #expect(throws: Never.self) { try chain.validate(s, now: 2_000_000_001) }
    }

    @Test func timestampTooEarly() throws {
        try expectRejected(.timestampTooEarly(timestamp: 1_700_000_000, medianTimePast: 1_700_000_010), banScore: 20) { chain, f, tip in
            f.make(on: &chain, parent: tip, timestamp: 1_700_000_000, script: payout(3))
        }
    }

    @Test func nonStandardPayoutScript() throws {
        try expectRejected(.nonStandardPayoutScript, banScore: 100) { chain, f, tip in
            f.make(on: &chain, parent: tip, timestamp: 1_700_000_020, script: Script([0x51]))
        }
    }

    @Test func nodeKeyNotAllowed() throws {
        let outsider = SigningKey(rawRepresentation: [UInt8](repeating: 9, count: 32))!
        var chain = Sharechain(parameters: testParameters(privateNetwork: PrivateNetwork(allowedNodeKeys: [testKey.publicKey])))
        var f = ShareFactory()
        let g = f.make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(1))
        try accept(g, into: &chain)
        f.key = outsider
        let s = f.make(on: &chain, parent: g.hash, timestamp: 1_700_000_020, script: payout(3))
        #expect(throws: ShareRuleError.nodeKeyNotAllowed) { try chain.validate(s, now: 2_000_000_000) }
    }

    @Test func badHeight() throws {
        try expectRejected(.badHeight(expected: 2, actual: 7), banScore: 100) { chain, f, tip in
            var t = ShareFactory.Tweaks(); t.height = 7
            return f.make(on: &chain, parent: tip, timestamp: 1_700_000_020, script: payout(3), tweaks: t)
        }
    }

    @Test func badGenesisTarget() throws {
        var chain = Sharechain(parameters: testParameters())
        let s = ShareFactory().make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(1),
                                    bits: CompactTarget(rawValue: 0x2000_ffff))
        #expect(throws: ShareRuleError.badGenesisTarget) { try chain.validate(s, now: 2_000_000_000) }
    }

    @Test func targetTooEasy() throws {
        // Shares 1 s apart harden the schedule; a share declaring the maximum target is then too easy.
        var chain = Sharechain(parameters: testParameters())
        let f = ShareFactory()
        var parent = f.make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(1)).hash
        try accept(f.make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(1)), into: &chain)
        for i in 1...100 {
            let s = f.make(on: &chain, parent: parent, timestamp: 1_700_000_000 + UInt64(i), script: payout(1),
                           bits: CompactTarget(target: chain.requiredTarget(parent: parent)))
            try accept(s, into: &chain)
            parent = s.hash
        }
        let easy = f.make(on: &chain, parent: parent, timestamp: 1_700_000_101, script: payout(2))
        #expect(throws: ShareRuleError.self) { try chain.validate(easy, now: 2_000_000_000) }
        do { _ = try chain.validate(easy, now: 2_000_000_000) } catch {
            guard case .targetTooEasy = error else { Issue.record("got \(error)"); return }
            #expect(error.penalty == .misbehaving(100))
        }
    }

    /// Docs/PROTOCOL.md §7: a share may be harder than the Bitcoin target;
    /// it is weighted by its declared target, and its header need not be a block.
    @Test("a share harder than the Bitcoin target is valid and weighted by its own target")
    func targetHarderThanBlockIsValid() throws {
        var (chain, f, tip) = try setup()
        let hard = CompactTarget(rawValue: 0x1f00_ffff)  // harder than the factory's 0x2000ffff Bitcoin bits
        #expect(try hard.target() < f.bitcoinBits.target())
        let share = f.make(on: &chain, parent: tip, timestamp: 1_700_000_020, script: payout(3), bits: hard)
        let validated = try chain.validate(share, now: 2_000_000_000)
        #expect(validated.summary.bits == hard)
        #expect(validated.isBlock == Work.meets(share.bitcoinHeader.hash.rawHash, target: try f.bitcoinBits.target()))
        try accept(share, into: &chain)
        #expect(chain.bestTip == share.hash)
    }

    @Test func insufficientProofOfWork() throws {
        try expectRejected(.insufficientProofOfWork, banScore: 100) { chain, f, tip in
            var t = ShareFactory.Tweaks(); t.skipProofOfWork = true
            return f.make(on: &chain, parent: tip, timestamp: 1_700_000_020, script: payout(3),
                          bits: CompactTarget(rawValue: 0x2000_ffff), tweaks: t)
        }
    }

    @Test func missingCoinbaseHeight() throws {
        try expectRejected(.missingCoinbaseHeight, banScore: 100) { chain, f, tip in
            var t = ShareFactory.Tweaks(); t.scriptSig = Script([0x4c, 0x05, 1, 2, 3, 4, 5])
            return f.make(on: &chain, parent: tip, timestamp: 1_700_000_020, script: payout(3), tweaks: t)
        }
    }

    @Test func badSignature() throws {
        try expectRejected(.badSignature, banScore: 100) { chain, f, tip in
            var t = ShareFactory.Tweaks(); t.corruptSignature = true
            return f.make(on: &chain, parent: tip, timestamp: 1_700_000_020, script: payout(3), tweaks: t)
        }
    }

    @Test func merkleRootMismatch() throws {
        // A coinbase that pays everything to the publisher instead of the TIDES split. (With
        // the safest class the split is one lottery output, which this fixture's publisher
        // wins; the 730-byte class pays each of the three payees.)
        try expectRejected(.merkleRootMismatch, banScore: 100) { chain, f, tip in
            var f = f
            f.coinbaseSizeClass = .bytes730
            var t = ShareFactory.Tweaks(); t.payouts = [PayoutEntry(script: payout(3), amount: f.reward)]
            return f.make(on: &chain, parent: tip, timestamp: 1_700_000_020, script: payout(3), tweaks: t)
        }
    }
}
