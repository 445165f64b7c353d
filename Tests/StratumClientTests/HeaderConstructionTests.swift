import BitcoinPrimitives
import Testing
@testable import StratumClient
import StratumProtocol

@Suite("Header construction")
struct HeaderConstructionTests {
    @Test("a job built from block 100000 rebuilds its coinbase, merkle root and hash")
    func block100000() throws {
        let job = try PoolJob(notifyParams: Block100000.notifyParams())
        let en1 = try #require(Hex.decode(Block100000.extranonce1))
        let en2 = try #require(Hex.decode(Block100000.extranonce2))
        #expect(job.previousBlock.description == Block100000.previousDisplay)
        #expect(job.version == 1 && job.bits.rawValue == 0x1b04_864c && job.time == 1_293_623_863 && job.cleanJobs)
        let coinbase = job.coinbase(extranonce1: en1, extranonce2: en2)
        #expect(SHA256d.hash(coinbase).displayHex == Block100000.coinbaseTxid)
        #expect(job.merkleRoot(extranonce1: en1, extranonce2: en2).description == Block100000.merkleRoot)
        let header = job.header(extranonce1: en1, extranonce2: en2, nonce: Block100000.nonce)
        #expect(header.hash.description == Block100000.hash)
        #expect(Work.meets(header.hash.rawHash, target: try header.bits.target()))
    }

    @Test("a single-transaction job: the merkle root is the coinbase txid")
    func singleTransaction() throws {
        var params = Block100000.notifyParams()
        params[4] = .array([])
        let job = try PoolJob(notifyParams: params)
        let en1 = try #require(Hex.decode(Block100000.extranonce1))
        let en2 = try #require(Hex.decode(Block100000.extranonce2))
        #expect(job.merkleRoot(extranonce1: en1, extranonce2: en2).description == Block100000.coinbaseTxid)
    }

    @Test("the Stratum previous-hash form round-trips")
    func prevHashForm() throws {
        let hash = try #require(Hash256(displayHex: Block100000.previousDisplay))
        #expect(StratumPrevHash.encode(hash) == Block100000.previousStratum)
        #expect(StratumPrevHash.decode(Block100000.previousStratum) == hash)
        #expect(StratumPrevHash.decode("00") == nil)
    }

    @Test("malformed notify params are refused", arguments: [0, 1, 2, 4, 5, 7])
    func malformed(index: Int) {
        var params = Block100000.notifyParams()
        params[index] = .number("7")
        #expect(throws: StratumMessageError.self) { try PoolJob(notifyParams: params) }
    }

    @Test("extranonce2 bytes are little-endian and sized")
    func extranonce2() throws {
        let job = try PoolJob(notifyParams: Block100000.notifyParams())
        let work = MiningWork(job: job, extranonce1: [], extranonce2Size: 4, difficulty: .one, generation: 1)
        #expect(work.extranonce2(0x0102) == [0x02, 0x01, 0, 0])
        let wide = MiningWork(job: job, extranonce1: [], extranonce2Size: 10, difficulty: .one, generation: 1)
        #expect(wide.extranonce2(1).count == 10)
    }
}
