import BitcoinPrimitives
import Sharechain
import SharechainTestSupport
import Testing

/// Issue 11, item 9: the orphan pool cannot be flooded by one peer, and a bogus copy
/// of a share does not block the real one.
@Suite("Sharechain: OrphanPool hardening")
struct OrphanPoolTests {
    /// `count` shares in a chain (all but the first are orphans to an empty chain).
    func chain(_ count: Int, script: UInt8 = 1) throws -> [WireShare] {
        var scratch = Sharechain(parameters: testParameters())
        let f = ShareFactory()
        var out: [WireShare] = []
        var parent: ShareHash?
        for i in 0..<count {
            let s = f.make(on: &scratch, parent: parent, timestamp: 1_700_000_000 + UInt64(i) * 10, script: payout(script))
            try accept(s, into: &scratch)
            out.append(s)
            parent = s.hash
        }
        return out
    }

    @Test("a flooding source evicts its own orphans: quota per source, largest holder evicted first")
    func floodEvictsTheFlooder() throws {
        let honest = try chain(4, script: 1)
        let flood = try chain(30, script: 2)
        var pool = OrphanPool(capacity: 8, perSourceQuota: 6)
        for s in honest[1...] { #expect(pool.add(s, source: 2) == .added) }
        for s in flood[1...] { pool.add(s, source: 1) }
        #expect(pool.count == 8)
        #expect(pool.count(from: 2) == 3)  // every honest orphan survived the flood
        #expect(pool.count(from: 1) == 5)
        for s in honest[1...] { #expect(pool.contains(s)) }
        // The flooder's newest are kept, its oldest went first.
        #expect(pool.contains(flood[29]) && !pool.contains(flood[1]))
        // Released in arrival order with their source.
        #expect(pool.takeChildren(of: honest[0].hash) == [OrphanPool.Orphan(share: honest[1], source: 2)])
        #expect(pool.count == 7)
    }

    @Test("a bogus copy with the same hash is held beside the real share, not instead of it")
    func variants() throws {
        let shares = try chain(3)
        let real = shares[2]
        var bogus = real
        bogus.merkleBranch = [Hash256(bytes: [UInt8](repeating: 7, count: 32))!]
        #expect(bogus.hash == real.hash && bogus != real)
        var pool = OrphanPool(capacity: 16)
        #expect(pool.add(bogus, source: 1) == .added)
        #expect(pool.add(real, source: 2) == .added)
        #expect(pool.add(real, source: 3) == .duplicate)
        #expect(pool.contains(real) && pool.contains(bogus))
        for i in 0..<(OrphanPool.maxVariants - 2) {
            var v = real
            v.merkleBranch = [Hash256(bytes: [UInt8](repeating: UInt8(10 + i), count: 32))!]
            #expect(pool.add(v, source: 1) == .added)
        }
        var more = real
        more.merkleBranch = []
        #expect(pool.add(more, source: 1) == .tooManyVariants)
        let released = pool.takeChildren(of: shares[1].hash)
        #expect(released.count == OrphanPool.maxVariants)
        #expect(released.prefix(2).map(\.source) == [1, 2])
        #expect(pool.count == 0)
    }

    @Test("orphans must carry proof of work and a valid signature before they are held")
    func parentFreeChecks() throws {
        let shares = try chain(2)
        var scratch = Sharechain(parameters: testParameters())
        try accept(shares[0], into: &scratch)
        let f = ShareFactory()
        var noWork = ShareFactory.Tweaks()
        noWork.skipProofOfWork = true
        let lazy = f.make(on: &scratch, parent: shares[0].hash, timestamp: 1_700_000_100, script: payout(3), tweaks: noWork)
        var badSig = ShareFactory.Tweaks()
        badSig.corruptSignature = true
        let forged = f.make(on: &scratch, parent: shares[0].hash, timestamp: 1_700_000_100, script: payout(3), tweaks: badSig)
        let empty = Sharechain(parameters: testParameters())
        #expect(throws: ShareRuleError.insufficientProofOfWork) { try empty.checkWithoutParent(lazy, now: 2_000_000_000) }
        #expect(throws: ShareRuleError.badSignature) { try empty.checkWithoutParent(forged, now: 2_000_000_000) }
        try empty.checkWithoutParent(shares[1], now: 2_000_000_000)
    }
}
