import BitcoinPrimitives
import Testing
@testable import StratumProtocol

@Suite("mining.notify encoding")
struct MiningJobTests {
    @Test func notifyParamsFollowStratumByteOrders() throws {
        var job = Fixture.job(id: "1f")
        job.prevBlockHash = BlockHash(rawHash: Hash256(bytes: Array(0..<32))!)
        job.version = 0x2000_0000
        job.bits = CompactTarget(rawValue: 0x1703_4219)
        job.ntime = 0x504e_86b9
        let p = job.notifyParams(clean: true)
        #expect(p.count == 9)
        #expect(p[0] == .string("1f"))
        // internal byte order 00 01 02 03 … with each 4-byte group reversed
        #expect(p[1] == .string("03020100070605040b0a09080f0e0d0c13121110171615141b1a19181f1e1d1c"))
        #expect(p[2] == .string(job.coinbase.coinb1Hex))
        #expect(p[3] == .string(job.coinbase.coinb2Hex))
        #expect(p[4] == .array(job.merkleBranch.map { .string($0.internalHex) }))
        #expect(p[5] == .string("20000000"))
        #expect(p[6] == .string("17034219"))
        #expect(p[7] == .string("504e86b9"))
        #expect(p[8] == .bool(true))
        #expect(job.notifyParams(jobID: "1f.2", clean: false)[0] == .string("1f.2"))
        #expect(job.notifyParams(jobID: "1f.2", clean: false)[8] == .bool(false))
    }

    /// The share difficulty is computed once per job (not per connection it is sent
    /// to) and follows every change of the share target.
    @Test func shareDifficultyFollowsTheShareTarget() {
        var job = Fixture.job(shareTarget: StratumDifficulty(raw: 1 << 40).target)
        #expect(job.shareDifficulty == StratumDifficulty(target: job.shareTarget))
        job.shareTarget = .max
        #expect(job.shareDifficulty == StratumDifficulty(target: .max))
        job.shareTarget = .zero
        #expect(job.shareDifficulty == StratumDifficulty(target: .zero))
    }

    /// Copies share one set of fields until one is written (copy on write through the
    /// dynamic-member subscript): a write never shows through another copy.
    @Test func copiesAreIndependentValues() {
        let original = Fixture.job(id: "a1", shareTarget: .max)
        var copy = original
        copy.id = "b2"
        copy.ntime += 60
        copy.clean = false
        copy.shareTarget = .zero
        copy.merkleBranch.append(SHA256d.hash([3]))
        #expect(original.id == "a1" && copy.id == "b2")
        #expect(original.ntime == Fixture.ntime && copy.ntime == Fixture.ntime + 60)
        #expect(original.clean && !copy.clean)
        #expect(original.shareDifficulty == StratumDifficulty(target: .max))
        #expect(copy.shareDifficulty == StratumDifficulty(target: .zero))
        #expect(original.merkleBranch.count == 2 && copy.merkleBranch.count == 3)
        #expect(original.fields.id == "a1" && copy.fields.id == "b2")
    }

    /// A session sends the same `mining.notify` bytes the server pre-encodes once per
    /// job, so a fan-out can write one shared buffer to every connection.
    @Test func sessionNotifyMatchesThePreEncodedLine() throws {
        var job = Fixture.job(id: "b7", shareTarget: .max)
        job.clean = true
        var session = Fixture.readySession(job: Fixture.job(id: "a0", shareTarget: .max))
        let actions = session.receive(job: job, now: Fixture.t0)
        let notify = try #require(actions.compactMap { action -> [UInt8]? in
            guard case .notify(let j, let id, let clean) = action else { return nil }
            #expect(id == j.id && clean == j.clean, "the shared line applies")
            return StratumOutbound.notification(.notify(j, jobID: id, clean: clean)).encodedLine()
        }.first)
        let shared = StratumOutbound.notification(.notify(job, jobID: job.id, clean: true)).encodedLine()
        #expect(notify == shared)
        #expect(shared.last == 0x0a)
    }

    @Test func hex32ParsingIsStrict() {
        #expect(MiningJob.hex32(0xab) == "000000ab")
        #expect(MiningJob.parseHex32("000000ab") == 0xab)
        #expect(MiningJob.parseHex32("ABC") == 0xabc)
        for bad in ["", "123456789", "+1", "-1", "xyz", "0x12"] { #expect(MiningJob.parseHex32(bad) == nil) }
    }

    @Test func coinbaseFromJobHashesToTheSessionsMerkleRoot() throws {
        let job = Fixture.job(shareTarget: .max)
        var session = Fixture.readySession(job: job)
        let en2: [UInt8] = [9, 8, 7, 6, 5, 4, 3, 2]
        let actions = session.handle(Fixture.submit(9, job: job.id, en2: en2, nonce: 5), now: Fixture.t0)
        let share = try #require(actions.shares.first)
        let bytes = Hex.decode(job.coinbase.coinb1Hex)! + Fixture.extranonce1 + en2 + Hex.decode(job.coinbase.coinb2Hex)!
        #expect(share.coinbase == bytes)
        let root = Merkle.root(coinbaseTxid: Txid(rawHash: SHA256d.hash(bytes)), branch: job.merkleBranch)
        #expect(share.header.merkleRoot == root)
        #expect(share.header.merkleRoot == (try job.coinbase.merkleRoot(extranonce1: Fixture.extranonce1, extranonce2: en2,
                                                                        branch: job.merkleBranch)))
        #expect(share.headerBytes.count == 80)
        #expect(share.hash == share.header.hash)
        #expect(try job.coinbase.transaction(extranonce1: Fixture.extranonce1, extranonce2: en2).txid
                == Txid(rawHash: SHA256d.hash(bytes)))
    }
}
