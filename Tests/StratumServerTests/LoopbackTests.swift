import BitcoinPrimitives
import NIOCore
import StratumProtocol
import NIOConcurrencyHelpers
import Testing
@testable import StratumServer

@Suite("Stratum server over loopback", .timeLimit(.minutes(1)))
struct LoopbackTests {
    func submit(_ miner: TestMiner, id: Int, job: String, en2: [UInt8], nonce: UInt32) async throws {
        try await miner.request(id, "mining.submit", [
            .string(Fixture.address + ".cpu"), .string(job), .string(Hex.encode(en2)),
            .string(MiningJob.hex32(Fixture.ntime)), .string(MiningJob.hex32(nonce)),
        ])
    }

    @Test func fullSessionThroughTheRealServer() async throws {
        let source = MockWorkSource()
        let sink = MockSink()
        let jobA = Fixture.job(id: "a")
        source.set(jobA)
        let submits = NIOLockedValueBox<[StratumRejectReason?]>([])
        let server = Fixture.server(source: source, sink: sink, onSubmit: { r in submits.withLockedValue { $0.append(r) } })
        let port = try await server.bind().port!
        let running = Task { try await server.run() }
        defer { running.cancel() }

        var miner = try await TestMiner.connect(port: port)
        try await miner.request(1, "mining.subscribe", [.string("test-miner/1.0")])
        let subscribed = try #require(await miner.response(.number("1")))
        let en1 = try #require(subscribed["result"]?.arrayValue?[1].stringValue.flatMap { Hex.decode($0) })
        #expect(en1.count == 4)
        #expect(subscribed["result"]?.arrayValue?[2] == .number("8"))

        try await miner.request(2, "mining.configure", [.array([.string("version-rolling")]),
                                                      .object([JSONMember("version-rolling.mask", .string("ffffffff"))])])
        #expect(await miner.response(.number("2"))?["result"]?["version-rolling.mask"] == .string("1fffe000"))

        try await miner.request(3, "mining.authorize", [.string(Fixture.address + ".cpu"), .string("x")])
        #expect(await miner.response(.number("3"))?["result"] == .bool(true))
        // set_difficulty comes before notify
        let first = try #require(await miner.next())
        #expect(first["method"] == .string("mining.set_difficulty"))
        #expect(first["params"] == .array([.number("0.0000152587890625")]))
        let notify = try #require(await miner.next())
        #expect(notify["method"] == .string("mining.notify"))
        #expect(notify["params"] == .array(jobA.notifyParams()))

        // a pseudo-share at the vardiff that is also a share and a block
        let en2: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 1]
        let nonce = Fixture.grind(jobA, en1: en1, en2: en2) { $0 <= jobA.bitcoinTarget }
        try await submit(miner, id: 4, job: "a", en2: en2, nonce: nonce)
        #expect(await miner.response(.number("4"))?["result"] == .bool(true))
        var events = sink.events.makeAsyncIterator()
        var kinds: [MockSink.Kind] = []
        for _ in 0..<2 {
            let (kind, submission) = try #require(await events.next())
            kinds.append(kind)
            #expect(submission.extranonce1 == en1 && submission.extranonce2 == en2)
            #expect(submission.header.nonce == nonce && submission.job.id == "a")
            #expect(submission.coinbase == jobA.coinbase.coinb1 + en1 + en2 + jobA.coinbase.coinb2)
        }
        #expect(Set(kinds.map { "\($0)" }) == ["block", "share"])

        // duplicate
        try await submit(miner, id: 5, job: "a", en2: en2, nonce: nonce)
        #expect(await miner.response(.number("5"))?["error"]?.arrayValue?.first == .number("22"))
        // low difficulty
        let weak = Fixture.grind(jobA, en1: en1, en2: en2) { $0 > Fixture.minimum.target }
        try await submit(miner, id: 6, job: "a", en2: en2, nonce: weak)
        #expect(await miner.response(.number("6"))?["error"]?.arrayValue?.first == .number("23"))
        // malformed JSON: an error, and the connection stays
        try await miner.send("{\"id\": 7, \"method\": ")
        #expect(await miner.response(.null)?["error"]?.arrayValue?.first == .number("20"))
        // unknown method
        try await miner.request(8, "mining.make_me_rich", [])
        #expect(await miner.response(.number("8"))?["error"]
                == .array([.number("20"), .string("Unknown method"), .null]))

        // new clean work: notify (difficulty unchanged: no set_difficulty), old job stale
        let jobB = Fixture.job(id: "b")
        server.publish(jobs: everyClass(jobB), clean: true)
        let notifyB = try #require(await miner.notification("mining.notify"))
        #expect(notifyB["params"]?.arrayValue?.first == .string("b"))
        #expect(notifyB["params"]?.arrayValue?.last == .bool(true))
        let staleNonce = Fixture.grind(jobA, en1: en1, en2: en2, from: nonce + 1) {
            $0 <= Fixture.minimum.target && $0 > jobA.bitcoinTarget  // not a block: that would be submitted
        }
        try await submit(miner, id: 9, job: "a", en2: en2, nonce: staleNonce)
        #expect(await miner.response(.number("9"))?["error"] == .array([.number("21"), .string("Stale"), .null]))
        try await submit(miner, id: 10, job: "nope", en2: en2, nonce: staleNonce)
        #expect(await miner.response(.number("10"))?["error"]?.arrayValue?[1] == .string("Job not found"))

        let stats = await server.workerStats()
        #expect(stats.count == 1)
        #expect(stats.first?.address == Fixture.address)
        #expect(stats.first?.workerName == "cpu")
        #expect(stats.first?.userAgent == "test-miner/1.0")
        #expect(stats.first?.accepted == 1)
        #expect(stats.first?.rejected == [.duplicate: 1, .lowDifficulty: 1, .stale: 1, .jobNotFound: 1])
        // the onSubmit hook saw each answer as it happened, in order
        #expect(submits.withLockedValue { $0 } == [nil, .duplicate, .lowDifficulty, .stale, .jobNotFound])
        // the duplicate of the block was a block too: the block check comes before the
        // duplicate check (Docs/STRATUM.md, "Submit checks, in order"), and bitcoind answers "duplicate"
        #expect(stats.first?.shares == 1 && stats.first?.blocks == 2)
        #expect(stats.first?.difficulty == Fixture.minimum)
        try await miner.channel.close()
    }

    @Test func connectionsGetDistinctExtranoncesAndTheJobOfTheirScript() async throws {
        let source = MockWorkSource()
        let server = Fixture.server(source: source)
        let port = try await server.bind().port!
        let running = Task { try await server.run() }
        defer { running.cancel() }
        var miners: [TestMiner] = []
        var extranonces: Set<JSONValue> = []
        for i in 0..<5 {
            var m = try await TestMiner.connect(port: port)
            try await m.request(1, "mining.subscribe", [])
            extranonces.insert(try #require(await m.response(.number("1"))?["result"]?.arrayValue?[1]))
            try await m.request(2, "mining.authorize", [.string(Fixture.address + ".w\(i)")])
            #expect(await m.response(.number("2"))?["result"] == .bool(true))
            miners.append(m)
        }
        #expect(extranonces.count == 5)
        // no job yet: the work source was asked, nothing was sent; publish reaches everyone
        server.publish(jobs: everyClass(Fixture.job(id: "c")), clean: true)
        for i in miners.indices {
            #expect(await miners[i].notification("mining.set_difficulty") != nil)
            #expect(await miners[i].notification("mining.notify")?["params"]?.arrayValue?.first == .string("c"))
        }
        #expect(server.connectionCount == 5)
        for m in miners { try await m.channel.close() }
    }

    @Test func oversizedLineOverTCPCloses() async throws {
        let server = Fixture.server(maximumLineLength: 1024)
        let port = try await server.bind().port!
        let running = Task { try await server.run() }
        defer { running.cancel() }
        var miner = try await TestMiner.connect(port: port)
        try await miner.send(String(repeating: "x", count: 4096))
        #expect(await miner.next() == nil)  // closed by the server
    }
}
