import JSON
import BitcoinPrimitives
import Testing
@testable import StratumClient

@Suite("Stratum client state machine")
struct StateMachineTests {
    typealias Machine = StratumClientStateMachine

    static let subscribeResult = #"{"id":1,"result":[[["mining.notify","ab"]],"01020304",4],"error":null}"#
    static let authorizeOK = #"{"id":2,"result":true,"error":null}"#

    /// A machine that has subscribed and been authorized.
    static func authorized() -> Machine {
        var m = Machine(configuration: .init(user: "bcrt1qexample.rig1", password: "d=0.001"))
        _ = m.connected()
        _ = m.received(line: subscribeResult)
        _ = m.received(line: authorizeOK)
        return m
    }

    static func sent(_ actions: [Machine.Action]) -> [JSONValue] {
        actions.compactMap { if case .send(let line) = $0 { try? JSONParser.parse(line) } else { nil } }
    }

    static func work(_ actions: [Machine.Action]) -> MiningWork?? {
        for a in actions { if case .work(let w) = a { return .some(w) } }
        return .none
    }

    @Test("connect sends mining.subscribe with the user agent")
    func subscribe() throws {
        var m = Machine(configuration: .init(user: "addr"))
        let lines = Self.sent(m.connected())
        #expect(m.phase == .subscribing)
        let msg = try #require(lines.first)
        #expect(msg["method"] == .string("mining.subscribe"))
        #expect(msg["params"] == .array([.string("tidepool-mine/1")]))
        #expect(msg["id"] == .number("1"))
    }

    @Test("the subscribe answer sets the extranonces and sends mining.authorize")
    func authorize() throws {
        var m = Machine(configuration: .init(user: "addr.w", password: "d=2"))
        _ = m.connected()
        let actions = m.received(line: Self.subscribeResult)
        #expect(actions.contains(.report(.subscribed(extranonce1: [1, 2, 3, 4], extranonce2Size: 4))))
        let msg = try #require(Self.sent(actions).first)
        #expect(msg["method"] == .string("mining.authorize"))
        #expect(msg["params"] == .array([.string("addr.w"), .string("d=2")]))
        #expect(m.phase == .authorizing)
        #expect(m.received(line: Self.authorizeOK).contains(.report(.authorized)))
        #expect(m.phase == .mining)
    }

    @Test("a refused authorization closes the connection")
    func authorizeRefused() {
        var m = Machine(configuration: .init(user: "bad"))
        _ = m.connected()
        _ = m.received(line: Self.subscribeResult)
        let actions = m.received(line: #"{"id":2,"result":false,"error":[24,"Unauthorized worker",null]}"#)
        #expect(actions.contains(.report(.authorizationFailed("24 Unauthorized worker"))))
        #expect(actions.contains { if case .close = $0 { true } else { false } })
    }

    @Test("a failed subscribe closes the connection")
    func subscribeFailed() {
        var m = Machine(configuration: .init(user: "u"))
        _ = m.connected()
        let actions = m.received(line: #"{"id":1,"result":null,"error":[20,"busy",null]}"#)
        #expect(actions.contains { if case .close = $0 { true } else { false } })
    }

    @Test("notify gives the threads work at the current difficulty")
    func notify() throws {
        var m = Self.authorized()
        _ = m.received(line: #"{"id":null,"method":"mining.set_difficulty","params":[0.001]}"#)
        let actions = m.received(line: Block100000.notifyLine())
        let work = try #require(Self.work(actions) ?? nil)
        #expect(work.job.jobID == "b100000")
        #expect(work.extranonce1 == [1, 2, 3, 4] && work.extranonce2Size == 4)
        // 0.001 × 2^32 = 4,294,967.296, rounded up to a multiple of 2^-32: a target no
        // easier than the pool's exact 0.001.
        #expect(work.difficulty == StratumDifficulty(decimal: "0.001", rounding: .up))
        #expect(work.difficulty == StratumDifficulty(raw: 4_294_968))
        #expect(work.target == (Work.difficultyOneTarget << 32) / UInt256(4_294_968))
        #expect(work.target <= Work.difficultyOneTarget * UInt256(1000))
    }

    @Test("jobs that arrive before authorization are mined once authorized")
    func notifyBeforeAuthorize() throws {
        var m = Machine(configuration: .init(user: "u"))
        _ = m.connected()
        _ = m.received(line: Self.subscribeResult)
        #expect(Self.work(m.received(line: Block100000.notifyLine())) == nil)
        let work = try #require(Self.work(m.received(line: Self.authorizeOK)) ?? nil)
        #expect(work.job.jobID == "b100000")
    }

    @Test("a harder difficulty applies at once, an easier one with the next job")
    func setDifficulty() throws {
        var m = Self.authorized()
        _ = m.received(line: Block100000.notifyLine())
        let harder = m.received(line: #"{"id":null,"method":"mining.set_difficulty","params":[4]}"#)
        let w1 = try #require(Self.work(harder) ?? nil)
        #expect(w1.target == Work.difficultyOneTarget / UInt256(4))
        let easier = m.received(line: #"{"id":null,"method":"mining.set_difficulty","params":[0.5]}"#)
        #expect(Self.work(easier) == nil)
        #expect(m.difficulty == StratumDifficulty(decimal: "0.5", rounding: .up))
        #expect(m.difficulty == StratumDifficulty(numerator: 1, denominator: 2))
        let w2 = try #require(Self.work(m.received(line: Block100000.notifyLine(jobID: "next", clean: false))) ?? nil)
        #expect(w2.target == Work.difficultyOneTarget * UInt256(2))
        #expect(w2.generation > w1.generation)
    }

    @Test("solutions become mining.submit with hex extranonce2, ntime and nonce")
    func submit() throws {
        var m = Self.authorized()
        _ = m.received(line: Block100000.notifyLine())
        let solution = MiningSolution(jobID: "b100000", extranonce2: [0, 0, 0, 7], time: 0x4d1b_2237, nonce: 0x1056_3f0f,
                                      generation: 1, hash: BlockHash(rawHash: .zero))
        let msg = try #require(Self.sent(m.found(solution)).first)
        #expect(msg["method"] == .string("mining.submit"))
        #expect(msg["params"] == .array([.string("bcrt1qexample.rig1"), .string("b100000"), .string("00000007"),
                                         .string("4d1b2237"), .string("10563f0f")]))
        let id = try #require(msg["id"]?.int64Value)
        #expect(m.received(line: #"{"id":\#(id),"result":true,"error":null}"#) == [.report(.accepted(jobID: "b100000"))])
        #expect(m.accepted == 1)
        let again = try #require(Self.sent(m.found(solution)).first?["id"]?.int64Value)
        let rejected = m.received(line: #"{"id":\#(again),"result":null,"error":[22,"Duplicate share",null]}"#)
        #expect(rejected == [.report(.rejected(jobID: "b100000", reason: "22 Duplicate share"))])
        #expect(m.rejected == 1)
    }

    @Test("solutions for jobs voided by a clean notify, or while not mining, are dropped")
    func stale() throws {
        var m = Self.authorized()
        _ = m.received(line: Block100000.notifyLine(jobID: "old"))
        _ = m.received(line: Block100000.notifyLine(jobID: "older-still-valid", clean: false))
        let old = MiningSolution(jobID: "old", extranonce2: [0, 0, 0, 0], time: 0, nonce: 0, generation: 1,
                                 hash: BlockHash(rawHash: .zero))
        #expect(Self.sent(m.found(old)).count == 1)  // not clean: still submittable
        _ = m.received(line: Block100000.notifyLine(jobID: "new", clean: true))
        #expect(m.found(old) == [.report(.staleSolutionDropped(jobID: "old"))])
        var idle = Machine(configuration: .init(user: "u"))
        #expect(Self.sent(idle.found(old)).isEmpty)
    }

    @Test("disconnects stop the threads and back off exponentially, reset by authorization")
    func backoff() {
        var m = Machine(configuration: .init(user: "u", initialBackoff: .seconds(1), maximumBackoff: .seconds(30)))
        var delays: [Duration] = []
        for _ in 0..<7 {
            let actions = m.disconnected()
            #expect(actions.first == .work(nil))
            for case .reconnect(let d) in actions { delays.append(d) }
        }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        _ = m.connected()
        _ = m.received(line: Self.subscribeResult)
        _ = m.received(line: Self.authorizeOK)
        #expect(m.disconnected().last == .reconnect(after: .seconds(1)))
        #expect(m.phase == .disconnected)
    }

    @Test("pool requests: get_version answered, unknown methods get an error, reconnect closes")
    func poolRequests() throws {
        var m = Self.authorized()
        let version = try #require(Self.sent(m.received(line: #"{"id":9,"method":"client.get_version","params":[]}"#)).first)
        #expect(version["id"] == .number("9") && version["result"] == .string("tidepool-mine/1"))
        let unknown = try #require(Self.sent(m.received(line: #"{"id":10,"method":"x.y","params":[]}"#)).first)
        #expect(unknown["error"]?.arrayValue?.first == .number("20"))
        #expect(m.received(line: #"{"id":null,"method":"client.reconnect","params":[]}"#)
                    == [.close(reason: "pool asked to reconnect")])
        #expect(m.received(line: "garbage").count == 1)
        #expect(m.received(line: #"{"id":99,"result":true,"error":null}"#).isEmpty)
    }

    @Test("set_extranonce changes the extranonces of the work")
    func setExtranonce() throws {
        var m = Self.authorized()
        _ = m.received(line: Block100000.notifyLine())
        let w = try #require(Self.work(m.received(line: #"{"id":null,"method":"mining.set_extranonce","params":["aabb",2]}"#)) ?? nil)
        #expect(w.extranonce1 == [0xaa, 0xbb] && w.extranonce2Size == 2)
    }
}
