import Testing
@testable import StratumClient

@Suite("Stratum JSON")
struct JSONTests {
    @Test("numbers keep their text; nested values parse")
    func parse() throws {
        let v = try StratumJSON(parsing: #" {"id": 3, "result": [0.0001, "a\"b\u00e9", true, null, {}], "error": null} "#)
        #expect(v["id"] == .number("3"))
        #expect(v["result"] == .array([.number("0.0001"), .string("a\"bé"), .bool(true), .null, .object([])]))
        #expect(v["error"]?.isNull == true)
    }

    @Test("serialization round-trips")
    func roundTrip() throws {
        let v = StratumJSON.object([("method", .string("x\n\"y\"")), ("params", .array([.number("1e-3"), .bool(false)]))])
        #expect(try StratumJSON(parsing: v.serialized) == v)
    }

    @Test("bad JSON is refused", arguments: ["", "{", "[1,]", "{\"a\" 1}", "01x", "\"abc", "nul", "[1] 2"])
    func invalid(text: String) {
        #expect(throws: StratumJSONError.self) { try StratumJSON(parsing: text) }
    }
}
