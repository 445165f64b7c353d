import JSON
import BitcoinPrimitives
import Logging
import NIOCore
import Testing
@testable import StratumClient

@Suite("Loopback mining against a scripted pool")
struct LoopbackTests {
    @Test("the miner reconnects, mines the job and submits a header that meets the difficulty",
          .timeLimit(.minutes(1)))
    func minesAndSubmits() async throws {
        let difficulty = "0.00001"  // about 43,000 hashes per share
        let (submits, continuation) = AsyncStream.makeStream(of: [JSONValue].self)
        let pool = ScriptedPool(difficulty: difficulty, submits: continuation)
        let server = try await pool.bind()
        let port = try #require(server.channel.localAddress?.port)
        let serverTask = Task { try await pool.serve(server) }
        defer { serverTask.cancel() }

        let miner = StratumMiner(
            configuration: .init(endpoint: HostPort(host: "127.0.0.1", port: port),
                                 client: .init(user: "bcrt1qtest.cpu", password: "d=\(difficulty)",
                                               initialBackoff: .milliseconds(50)),
                                 threads: 2, statusInterval: .seconds(1)),
            logger: Logger(label: "test.mine"))
        let minerTask = Task { await miner.run() }
        defer { minerTask.cancel() }

        var iterator = submits.makeAsyncIterator()
        let first = await iterator.next()
        let params = try #require(first)
        #expect(params.count == 5)
        #expect(params[0] == .string("bcrt1qtest.cpu"))
        #expect(params[1] == .string("b100000"))
        #expect(params[3] == .string("4d1b2237"))

        // Recompute the header from what was submitted and check its proof of work.
        let job = try PoolJob(notifyParams: Block100000.notifyParams())
        let en1 = try #require(Hex.decode(ScriptedPool.extranonce1))
        let en2 = try #require(params[2].stringValue.flatMap({ Hex.decode($0) }))
        #expect(en2.count == 4)
        let nonce = try #require(params[4].stringValue.flatMap { UInt32($0, radix: 16) })
        let header = job.header(extranonce1: en1, extranonce2: en2, nonce: nonce)
        let target = try #require(StratumDifficulty(decimal: difficulty, rounding: .up)).target
        #expect(Work.meets(header.hash.rawHash, target: target))
        minerTask.cancel()
        await minerTask.value
    }

    @Test("HOST:PORT parsing")
    func endpoints() throws {
        #expect(try HostPort.pool(parsing: "127.0.0.1:3333") == HostPort(host: "127.0.0.1", port: 3333))
        #expect(try HostPort.pool(parsing: "stratum+tcp://pool.example:3334").host == "pool.example")
        #expect(try HostPort.pool(parsing: "[::1]:3333") == HostPort(host: "::1", port: 3333))
        for bad in ["nohost", ":3333", "h:0", "h:99999", "h:x"] {
            #expect(throws: HostPortError.self) { try HostPort.pool(parsing: bad) }
        }
    }

    @Test("status line formatting")
    func status() {
        let s = MinerStatus(hashrate: 1_234_567, accepted: 3, rejected: 1, difficulty: .one, mining: true)
        #expect(s.description == "hashrate 1.23 MH/s | accepted 3 rejected 1 | difficulty 1")
    }
}
