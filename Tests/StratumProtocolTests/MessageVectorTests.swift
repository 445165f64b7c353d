import BitcoinPrimitives
import Foundation
import JSON
import Testing
@testable import StratumProtocol

/// `mining.notify` and `mining.set_difficulty` decoded and re-encoded byte for byte: the
/// lines a Tidepool node sent a real cpuminer 2.5.1 (Vectors/cpuminer-2.5.1-captured.jsonl),
/// and a hand-built mainnet job (block 100,000's header fields).
@Suite("Stratum messages (notify, set_difficulty): decode and encode")
struct MessageVectorTests {
    /// The pool's notification lines of the capture, with their methods.
    func poolNotifications() throws -> [(method: String, line: String)] {
        let url = try #require(Bundle.module.url(forResource: "cpuminer-2.5.1-captured", withExtension: "jsonl",
                                                 subdirectory: "Vectors"))
        var out: [(String, String)] = []
        for raw in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let entry = try JSONParser.parse(String(raw))
            guard entry["dir"]?.stringValue == "pool", let line = entry["line"]?.stringValue,
                  let method = try JSONParser.parse(line)["method"]?.stringValue else { continue }
            out.append((method, line))
        }
        return out
    }

    @Test func capturedNotificationsRoundTripByteForByte() throws {
        let lines = try poolNotifications()
        let notifies = lines.filter { $0.method == "mining.notify" }
        let difficulties = lines.filter { $0.method == "mining.set_difficulty" }
        #expect(notifies.count >= 2)
        #expect(difficulties.count >= 1)
        for (_, line) in notifies {
            let params = try #require(try JSONParser.parse(line)["params"]?.arrayValue)
            let message = try MiningNotify(notifyParams: params)
            #expect(message.coinb1.count > 42 && message.coinb2.count > 100)
            #expect(StratumOutbound.notification(message.notification).encodedLine() == Array(line.utf8) + [0x0a])
        }
        for (_, line) in difficulties {
            let params = try #require(try JSONParser.parse(line)["params"]?.arrayValue)
            let message = try MiningSetDifficulty(params: params)
            #expect(StratumOutbound.notification(message.notification).encodedLine() == Array(line.utf8) + [0x0a])
        }
    }

    @Test func notifyFieldsInTheirWireForms() throws {
        // Block 100,000: version 1, bits 0x1b04864c, time 1293623863.
        let prev = try #require(BlockHash(displayHex: "000000000002d01c1fccc21636b607dfd930d31d01c3a62104612a1719011250"))
        let message = MiningNotify(jobID: "b100000", previousBlock: prev, coinb1: [0x01, 0x02], coinb2: [0xff],
                                   merkleBranch: [SHA256d.hash([1])], version: 1, bits: CompactTarget(rawValue: 0x1b04_864c),
                                   time: 1_293_623_863, cleanJobs: true)
        let params = message.notifyParams
        #expect(params[0] == .string("b100000"))
        #expect(params[1] == .string(StratumPrevHash.encode(prev.rawHash)))
        #expect(params[2] == .string("0102") && params[3] == .string("ff"))
        #expect(params[4] == .array([.string(SHA256d.hash([1]).internalHex)]))
        #expect(params[5] == .string("00000001") && params[6] == .string("1b04864c") && params[7] == .string("4d1b2237"))
        #expect(params[8] == .bool(true))
        #expect(try MiningNotify(notifyParams: params) == message)
        // A missing clean flag reads as false; extra params are ignored.
        var loose = Array(params.prefix(8)) + [.null, .string("extra")]
        #expect(try MiningNotify(notifyParams: loose).cleanJobs == false)
        loose[5] = .string("1")  // not eight digits
        #expect(throws: StratumMessageError.self) { try MiningNotify(notifyParams: loose) }
        #expect(throws: StratumMessageError.self) { try MiningNotify(notifyParams: Array(params.prefix(8))) }
    }

    @Test func setDifficultyEncodesExactlyAndDecodesRoundingUp() throws {
        let d = StratumDifficulty(numerator: 1, denominator: 65536)!
        #expect(MiningSetDifficulty(d).params == [.number("0.0000152587890625")])
        #expect(try MiningSetDifficulty(params: [.number("0.0000152587890625")]).difficulty == d)
        #expect(try MiningSetDifficulty(params: [.number("0.1")]).difficulty == StratumDifficulty(raw: 429_496_730))
        #expect(throws: StratumMessageError.self) { try MiningSetDifficulty(params: [.string("1")]) }
        #expect(throws: StratumMessageError.self) { try MiningSetDifficulty(params: []) }
        #expect(throws: StratumMessageError.self) { try MiningSetDifficulty(params: [.number("0")]) }
        #expect(StratumNotification.setDifficulty(d) == MiningSetDifficulty(d).notification)
    }
}
