import BitcoinPrimitives
import JSON
import Testing
@testable import StratumProtocol

@Suite("Stratum JSON-RPC codec")
struct JSONCodecTests {
    func parse(_ text: String) throws(StratumRequestError) -> StratumInbound {
        try StratumInbound.parse(line: Array(text.utf8))
    }

    @Test func parsesRequestsWithAnyScalarID() throws {
        let r = try parse(#"{"id": 7, "method": "mining.subscribe", "params": ["cgminer/4.10", null]}"#)
        #expect(r == .request(StratumRequest(id: .number("7"), method: "mining.subscribe",
                                             params: [.string("cgminer/4.10"), .null])))
        #expect(try parse(#"{"id":"a-1","method":"x"}"#) == .request(StratumRequest(id: .string("a-1"), method: "x")))
        #expect(try parse(#"{"id":null,"method":"x","params":null}"#) == .request(StratumRequest(id: .null, method: "x")))
        #expect(try parse(#"{"method":"x","params":[]}"#) == .request(StratumRequest(id: .null, method: "x")))
        #expect(try parse(#"{"id":true,"method":"x"}"#) == .request(StratumRequest(id: .bool(true), method: "x")))
        #expect(try parse(#"{"id":1,"result":true,"error":null}"#) == .response(id: .number("1")))
    }

    @Test func rejectsWrongShapesWithTheIDWhenKnown() {
        func reason(_ text: String) -> StratumRequestError? {
            do { _ = try parse(text); return nil } catch { return error }
        }
        #expect(reason("[1,2]")?.reason == .notAnObject)
        #expect(reason(#"{"id":[1],"method":"x"}"#)?.reason == .invalidID)
        #expect(reason(#"{"id":5,"params":[]}"#) == StratumRequestError(id: .number("5"), reason: .missingMethod))
        #expect(reason(#"{"id":5,"method":3}"#) == StratumRequestError(id: .number("5"), reason: .methodNotString))
        #expect(reason(#"{"id":5,"method":"x","params":{"a":1}}"#)?.reason == .paramsNotArray)
        if case .malformedJSON? = reason(#"{"id":1,"method":"x""#)?.reason {} else { Issue.record("expected malformed") }
        if case .malformedJSON? = reason("{\"id\":1} trailing")?.reason {} else { Issue.record("expected trailing") }
    }

    @Test func neverCrashesOnGarbage() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]",:0123456789.eE-+\u"truefalsnl abc"#.utf8) + [0, 0xff, 0xc3, 0x0a]
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...60, using: &rng)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
            _ = try? StratumInbound.parse(line: bytes)
        }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.tooDeep(limit: JSONParser.maximumDepth)) { try JSONParser.parse(deep) }
    }

    @Test func encodesResponsesAndNotificationsCkpoolStyle() throws {
        let ok = StratumOutbound.response(.success(id: .number("4"), .bool(true)))
        #expect(String(decoding: ok.encodedLine(), as: UTF8.self) == "{\"id\":4,\"result\":true,\"error\":null}\n")
        let bad = StratumOutbound.response(.failure(id: .string("x"), .duplicate))
        #expect(String(decoding: bad.encodedLine(), as: UTF8.self)
                == "{\"id\":\"x\",\"result\":null,\"error\":[22,\"Duplicate share\",null]}\n")
        let n = StratumOutbound.notification(.setDifficulty(StratumDifficulty(numerator: 1, denominator: 65536)!))
        #expect(String(decoding: n.encodedLine(), as: UTF8.self)
                == "{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[0.0000152587890625]}\n")
        #expect(JSONValue.string("a\"\n\u{1}é").jsonText == #""a\"\n\u0001é""#)
        #expect(try JSONParser.parse(JSONValue.string("q\"\\\t\u{7f}").jsonText) == .string("q\"\\\t\u{7f}"))
    }
}
