import JSON
import BitcoinPrimitives
import Foundation
import Sharechain
import Testing
@testable import StratumProtocol

/// Replays the lines real miners send (Tests/StratumProtocolTests/Vectors/*.jsonl, taken
/// from each client's source; see Docs/STRATUM.md, "Compatibility with real clients")
/// through a `StratumSession` and checks the answers each client needs.
@Suite("Real-client replays")
struct RealClientReplayTests {
    // MARK: - Per client

    @Test func cpuminer() throws {
        var r = try Replay(vector: "cpuminer-2.5.1", network: .devnet)
        let sub = try r.send(0)
        try r.expectSubscribeAnswer(sub, id: "1")
        let auth = try r.send(1)
        // cpuminer's stratum_authorize reads lines until one is not a method it knows and takes
        // that one as the authorize answer: the answer must come before any notification.
        try r.expectFirstIsResult(auth, id: "2", .bool(true))
        #expect(auth.notificationMethods == ["mining.set_difficulty", "mining.notify"])
        let accepted = try r.send(2, nonce: 7)
        try r.expectFirstIsResult(accepted, id: "4", .bool(true))
        try r.expectRejected(try r.send(2, nonce: 7), code: 22)  // duplicate: counted, connection stays
        r.cleanJob("b1")
        try r.expectRejected(try r.send(2, nonce: 8, jobID: "a1"), code: 21)  // stale after a clean job
        try r.expectFirstIsResult(try r.send(2, nonce: 8), id: "4", .bool(true))
        // a reconnect with the session id, and the retry with empty params, are answered the same way
        try r.expectSubscribeAnswer(try r.send(3), id: "1")
        try r.expectSubscribeAnswer(try r.send(4), id: "1")
        #expect(r.session.userAgent == "cpuminer/2.5.1")
        r.expectNoClose()
    }

    @Test func bitaxeCurrent() throws {
        var r = try Replay(vector: "bitaxe-esp-miner-2.15", network: .devnet)
        // configure, subscribe and authorize arrive back to back
        let conf = try r.send(0)
        try r.expectFirstIsResult(conf, id: "1", .object([
            JSONMember("version-rolling", .bool(true)), JSONMember("version-rolling.mask", .string("1fffe000")),
        ]))
        try r.expectSubscribeAnswer(try r.send(1), id: "2")
        #expect(r.session.userAgent == "bitaxe/BM1370/v2.15.0")
        let auth = try r.send(2)
        try r.expectFirstIsResult(auth, id: "3", .bool(true))
        #expect(auth.notificationMethods == ["mining.set_difficulty", "mining.notify"])
        try r.expectFirstIsResult(try r.send(3), id: "4", .bool(true))
        try r.expectFirstIsResult(try r.send(4), id: "5", .bool(true))
        // version bits = rolled ^ job.version, inside the granted mask
        let accepted = try r.send(5, nonce: 3, versionBits: 0x0001_e000)
        try r.expectFirstIsResult(accepted, id: "6", .bool(true))
        #expect(try #require(accepted.shares.first).header.version == 0x2001_e000)
        try r.expectRejected(try r.send(5, nonce: 3, versionBits: 0x0001_e000), code: 22)
        try r.expectRejected(try r.send(5, nonce: 4, jobID: "nope"), code: 21)
        r.expectNoClose()
    }

    /// After the authorize answer ESP-Miner suggests 1000: the work comes again under a new
    /// job id, since ESP-Miner ignores a mining.notify whose job id it already has.
    @Test func bitaxeSuggestionResendsUnderANewJobID() throws {
        var r = try Replay(vector: "bitaxe-esp-miner-2.15", network: .devnet, shareTarget: .zero)
        for index in 0...2 { _ = try r.send(index) }
        let firstJobID = try #require(r.jobID)
        let suggest = try r.send(3)
        try r.expectFirstIsResult(suggest, id: "4", .bool(true))
        #expect(suggest.notificationMethods == ["mining.set_difficulty", "mining.notify"])
        #expect(r.jobID != firstJobID)
        #expect(suggest.setDifficultyTexts == ["1000"])
    }

    @Test func bitaxeOldPipelinesSuggestBeforeTheAuthorizeAnswer() throws {
        var r = try Replay(vector: "bitaxe-esp-miner-2.4.5", network: .devnet)
        try r.expectFirstIsResult(try r.send(0), id: "1", .object([
            JSONMember("version-rolling", .bool(true)), JSONMember("version-rolling.mask", .string("1fffe000")),
        ]))
        try r.expectSubscribeAnswer(try r.send(1), id: "2")
        try r.expectFirstIsResult(try r.send(2), id: "3", .bool(true))
        try r.expectFirstIsResult(try r.send(3), id: "4", .bool(true))
        try r.expectFirstIsResult(try r.send(4, nonce: 9, versionBits: 0x1fff_e000), id: "5", .bool(true))
        r.expectNoClose()
    }

    @Test func cgminerWithVersionRolling() throws {
        var r = try Replay(vector: "cgminer-4.11.1", network: .devnet)
        // configure_stratum_mining fails the whole connection unless version-rolling is true
        // and a mask is given
        let conf = try r.send(0)
        try r.expectFirstIsResult(conf, id: "0", .object([
            JSONMember("version-rolling", .bool(true)), JSONMember("version-rolling.mask", .string("1fffe000")),
        ]))
        // initiate_stratum: extranonce2 size must be 2…16
        try r.expectSubscribeAnswer(try r.send(1), id: "1")
        try r.expectFirstIsResult(try r.send(2), id: "2", .bool(true))
        try r.expectFirstIsResult(try r.send(3), id: "3", .bool(true))
        try r.expectFirstIsResult(try r.send(4, nonce: 5, versionBits: 0x0000_6000), id: "4", .bool(true))
        r.cleanJob("b1")
        try r.expectRejected(try r.send(4, nonce: 6, jobID: "a1", versionBits: 0x0000_6000), code: 21)
        r.expectNoClose()
    }

    @Test func antminerS9Bmminer() throws {
        var r = try Replay(vector: "antminer-bmminer-s9", network: .devnet)
        try r.expectSubscribeAnswer(try r.send(0), id: "0")
        #expect(r.session.userAgent == "bmminer/2.0.0")
        try r.expectFirstIsResult(try r.send(1), id: "1", .bool(true))
        try r.expectFirstIsResult(try r.send(2), id: "2", .bool(true))
        // Bitmain's own mining.multi_version: an error, not a disconnect; bmminer only looks
        // the answer up among its submitted shares and ignores it
        let multi = try r.send(3)
        #expect(multi.response == .failure(id: .number("3"), .unknownMethod))
        // without a multi_version notification bmminer submits 5 params (no version rolling)
        try r.expectFirstIsResult(try r.send(4, nonce: 2), id: "4", .bool(true))
        r.expectNoClose()
    }

    @Test func braiinsOS() throws {
        var r = try Replay(vector: "braiins-os-bosminer", network: .devnet)
        try r.expectFirstIsResult(try r.send(0), id: "0", .object([
            JSONMember("version-rolling", .bool(true)), JSONMember("version-rolling.mask", .string("1fffe000")),
        ]))
        try r.expectSubscribeAnswer(try r.send(1), id: "1")
        try r.expectFirstIsResult(try r.send(2), id: "2", .bool(true))
        // the 6th param as the whole rolled version is accepted as well as the bits alone
        let whole = try r.send(3, nonce: 1, versionBits: 0x0aaa_a000)
        try r.expectFirstIsResult(whole, id: "3", .bool(true))
        #expect(try #require(whole.shares.first).header.version == 0x2aaa_a000)
        r.expectNoClose()
    }

    @Test func antminerStock() throws {
        var r = try Replay(vector: "antminer-stock-s19", network: .devnet)
        try r.expectFirstIsResult(try r.send(0), id: "1", .object([
            JSONMember("version-rolling", .bool(true)), JSONMember("version-rolling.mask", .string("1fffe000")),
        ]))
        try r.expectSubscribeAnswer(try r.send(1), id: "2")
        #expect(r.session.userAgent == "Antminer S19k Pro/Fri Oct 10 11:13:07 CST 2025")
        try r.expectFirstIsResult(try r.send(2), id: "3", .bool(true))
        try r.expectFirstIsResult(try r.send(3, nonce: 11, versionBits: 0x0fff_e000), id: "4", .bool(true))
        r.expectNoClose()
    }

    @Test func whatsminerSuggestsBeforeSubscribing() throws {
        var r = try Replay(vector: "whatsminer-stock", network: .devnet)
        try r.expectFirstIsResult(try r.send(0), id: "1", .bool(true))
        try r.expectFirstIsResult(try r.send(1), id: "2", .object([
            JSONMember("version-rolling", .bool(true)), JSONMember("version-rolling.mask", .string("1fffe000")),
            JSONMember("subscribe-extranonce", .bool(true)),
        ]))
        try r.expectSubscribeAnswer(try r.send(2), id: "3")
        try r.expectFirstIsResult(try r.send(3), id: "4", .bool(true))
        try r.expectFirstIsResult(try r.send(4, nonce: 4, versionBits: 0x0000_2000), id: "5", .bool(true))
        r.expectNoClose()
    }

    @Test func nerdMinerUnpaddedNonceAndKeepAliveSuggestions() throws {
        var r = try Replay(vector: "nerdminer-v2", network: .devnet)
        try r.expectSubscribeAnswer(try r.send(0), id: "1")
        try r.expectFirstIsResult(try r.send(1), id: "2", .bool(true))
        try r.expectFirstIsResult(try r.send(2), id: "3", .bool(true))
        // nonce 0x00000abc sent as "abc"
        let accepted = try r.send(3, nonce: 0xabc)
        try r.expectFirstIsResult(accepted, id: "4", .bool(true))
        #expect(try #require(accepted.shares.first).header.nonce == 0xabc)
        // the keep-alive repeats the same suggestion every 30 s: answered, and nothing is re-sent
        let keepAlive = try r.send(4)
        try r.expectFirstIsResult(keepAlive, id: "5", .bool(true))
        #expect(keepAlive.notificationMethods.isEmpty)
        r.expectNoClose()
    }

    /// NerdMiner's 30 s keep-alive suggestion must not restart the vardiff measurement, or a
    /// quiet NerdMiner would never be retargeted (the 60 s window never completes).
    @Test func nerdMinerKeepAliveDoesNotFreezeVardiff() throws {
        var r = try Replay(vector: "nerdminer-v2", network: .regtest, policy: nil, shareTarget: .zero)
        _ = try r.send(0)
        _ = try r.send(1)
        _ = try r.send(2)  // suggest 0.00015 at t0
        let suggested = r.session.difficulty
        r.now = Fixture.t0 + .seconds(35)
        #expect(try r.send(4).notificationMethods.isEmpty)  // the keep-alive, same value
        // no pseudo-share for 61 s since the suggestion: the quiet miner is lowered
        let tick = r.session.tick(now: Fixture.t0 + .seconds(61))
        #expect(tick.notificationMethods == ["mining.set_difficulty", "mining.notify"])
        #expect(r.session.difficulty < suggested)
        // Once vardiff has moved, the next keep-alive (the same suggestion) must not pull the
        // difficulty back to the suggested value.
        let lowered = r.session.difficulty
        r.now = Fixture.t0 + .seconds(65)
        #expect(try r.send(4).notificationMethods.isEmpty)
        #expect(r.session.difficulty == lowered)
    }

    // MARK: - Difficulty formats

    /// ASIC firmware that parses difficulty as an integer (ESP-Miner ≤ 2.4 reads it with cJSON
    /// `valueint`) gets whole numbers on mainnet, even after suggesting one.
    @Test func mainnetDifficultiesAreIntegers() throws {
        for vector in ["bitaxe-esp-miner-2.4.5", "bitaxe-esp-miner-2.15", "whatsminer-stock", "nerdminer-v2"] {
            var r = try Replay(vector: vector, network: .mainnet, policy: nil, shareTarget: .zero)
            var texts: [String] = []
            for index in r.lines.indices where !r.lines[index].contains("mining.submit") {
                texts += try r.send(index).setDifficultyTexts
            }
            #expect(!texts.isEmpty, "\(vector)")
            for text in texts {
                #expect(UInt64(text) != nil, "\(vector) got set_difficulty \(text)")
            }
        }
    }

    /// On regtest/devnet the difficulty goes below 1 and is sent as an exact decimal, which
    /// cpuminer (jansson `json_number_value`) and NerdMiner (ArduinoJson double) parse.
    @Test func regtestDifficultiesAreFractional() throws {
        var r = try Replay(vector: "cpuminer-2.5.1", network: .regtest, policy: nil, shareTarget: .zero)
        _ = try r.send(0)
        let texts = try r.send(1).setDifficultyTexts
        #expect(texts == ["0.001953125"])  // 1/512, the regtest start
        var n = try Replay(vector: "nerdminer-v2", network: .regtest, policy: nil, shareTarget: .zero)
        _ = try n.send(0)
        _ = try n.send(1)
        let suggested = try n.send(2).setDifficultyTexts
        let text = try #require(suggested.first)
        #expect(text.hasPrefix("0.00014999"))  // 0.00015 rounded down to a multiple of 2^-32
        #expect(text.count <= 34)
    }
}

// MARK: - Replayer

/// One client connection: the vector's lines, a session, and the job the "server" hands out.
struct Replay {
    let lines: [String]
    var session: StratumSession
    let user: String
    let shareTarget: UInt256
    var now = Fixture.t0
    /// The job id of the last `mining.notify`.
    var jobID: String?
    var job: MiningJob?
    var all: [StratumAction] = []

    /// - Parameters:
    ///   - policy: the vardiff policy; nil for the network's standard one.
    ///   - shareTarget: the job's share target; `.max` (the default) makes every hash a share,
    ///     so any nonce is accepted whatever difficulty the client suggested.
    init(vector: String, network: SharechainNetwork, policy: VardiffPolicy? = Fixture.easyPolicy,
         shareTarget: UInt256 = .max) throws {
        lines = try Replay.load(vector)
        session = StratumSession(extranonce1: Fixture.extranonce1, network: network.bitcoinNetwork,
                                 networkName: network.rawValue, policy: policy, now: Fixture.t0)
        let bitcoinNetwork: BitcoinNetwork = network == .mainnet ? .mainnet : .regtest
        user = Address.p2wpkh(Fixture.keyHash).encoded(for: bitcoinNetwork) + ".rig1"
        self.shareTarget = shareTarget
    }

    static func load(_ name: String) throws -> [String] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "jsonl", subdirectory: "Vectors"))
        return try String(contentsOf: url, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map(String.init)
            .filter { !$0.hasPrefix("#") }
    }

    func job(id: String, clean: Bool) -> MiningJob {
        Fixture.job(id: id, shareTarget: shareTarget, clean: clean, script: Address.p2wpkh(Fixture.keyHash).scriptPubKey)
    }

    /// Feeds line `index` (placeholders filled in) and returns the session's actions; a
    /// `.ready` action is answered the way the server does, with the current job.
    mutating func send(_ index: Int, nonce: UInt32 = 0, jobID: String? = nil, versionBits: UInt32 = 0,
                       en2: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 1]) throws -> [StratumAction] {
        var line = lines[index]
        let job = self.job ?? self.job(id: "a1", clean: true)
        let replacements: [(String, String)] = [
            ("{USER}", user),
            ("{JOB}", jobID ?? self.jobID ?? "none"),
            ("{EN2}", Hex.encode(en2)),
            ("{NTIME}", MiningJob.hex32(job.ntime)),
            ("{NONCE_UNPADDED}", String(nonce, radix: 16)),
            ("{NONCE}", MiningJob.hex32(nonce)),
            ("{VERSION_BITS}", MiningJob.hex32(versionBits)),
            ("{VERSION}", MiningJob.hex32(UInt32(bitPattern: job.version) | versionBits)),
        ]
        for (placeholder, value) in replacements { line = line.replacingOccurrences(of: placeholder, with: value) }
        guard case .request(let request) = try StratumInbound.parse(line: Array(line.utf8)) else {
            Issue.record("not a request: \(line)")
            return []
        }
        var actions = session.handle(request, now: now)
        if actions.contains(where: { if case .ready = $0 { return true } else { return false } }) {
            actions += session.receive(job: self.job ?? self.job(id: "a1", clean: true), now: now)
        }
        track(actions)
        return actions
    }

    /// The server publishes clean work.
    mutating func cleanJob(_ id: String) {
        track(session.receive(job: job(id: id, clean: true), now: now))
    }

    private mutating func track(_ actions: [StratumAction]) {
        for action in actions {
            if case .notify(let job, let id, _) = action {
                self.job = job
                jobID = id
            }
        }
        all += actions
    }

    /// `[[["mining.set_difficulty", en1], ["mining.notify", en1]], en1, 8]` under the client's id.
    func expectSubscribeAnswer(_ actions: [StratumAction], id: String,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try expectFirstIsResult(actions, id: id, nil, sourceLocation: sourceLocation)
        #expect(result == .array([
            .array([.array([.string("mining.set_difficulty"), .string("deadbeef")]),
                    .array([.string("mining.notify"), .string("deadbeef")])]),
            .string("deadbeef"), .number("8"),
        ]), sourceLocation: sourceLocation)
    }

    /// The first action is a successful response echoing the request id exactly (same JSON
    /// text), with `result` (if given) and `"error":null`.
    @discardableResult
    func expectFirstIsResult(_ actions: [StratumAction], id: String, _ result: JSONValue?,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        guard case .send(.response(let response))? = actions.first else {
            Issue.record("first action is not a response: \(actions)", sourceLocation: sourceLocation)
            return .null
        }
        #expect(response.error == nil, "\(response.error.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
        if let result { #expect(response.result == result, sourceLocation: sourceLocation) }
        let encoded = String(decoding: StratumOutbound.response(response).encodedLine(), as: UTF8.self)
        #expect(encoded.hasPrefix("{\"id\":\(id),\"result\":"), "\(encoded)", sourceLocation: sourceLocation)
        #expect(encoded.hasSuffix(",\"error\":null}\n"), "\(encoded)", sourceLocation: sourceLocation)
        return response.result
    }

    /// A reject: `"result":null`, `"error":[code,"…",null]`, and no close.
    func expectRejected(_ actions: [StratumAction], code: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let response = try #require(actions.responses.first, sourceLocation: sourceLocation)
        #expect(response.error?.code == code, sourceLocation: sourceLocation)
        #expect(response.result == .null, sourceLocation: sourceLocation)
        #expect(response.json["error"]?.arrayValue?.count == 3, sourceLocation: sourceLocation)
        #expect(!actions.contains { if case .close = $0 { return true } else { return false } },
                sourceLocation: sourceLocation)
    }

    /// Nothing in the whole replay closed the connection.
    func expectNoClose(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!all.contains { if case .close = $0 { return true } else { return false } },
                sourceLocation: sourceLocation)
    }
}

extension [StratumAction] {
    /// The JSON text of each `mining.set_difficulty` parameter, in order.
    var setDifficultyTexts: [String] {
        compactMap {
            guard case .send(.notification(let n)) = $0, n.method == "mining.set_difficulty" else { return nil }
            return n.params.first?.numberText
        }
    }
}
