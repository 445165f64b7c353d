import JSON
import Testing

@Suite("JSON codec")
struct JSONCodecTests {
    @Test func parsesStringsEscapesAndNumbersExactly() throws {
        let v = try JSONParser.parse(#"["a\"b\\c\u00e9\ud83d\ude00\n", -0.5e-3, 0, 12345678901234567890123, true]"#)
        #expect(v == .array([.string("a\"b\\cé😀\n"), .number("-0.5e-3"), .number("0"),
                             .number("12345678901234567890123"), .bool(true)]))
        for bad in ["01", "1.", "-", "1e", ".5", "\"\u{1}\"", #""\x""#, "nul", "[1,]", "{\"a\"}", "{1:2}", ""] {
            #expect(throws: JSONParseError.self) { try JSONParser.parse(bad) }
        }
    }

    /// Random texts never trap the parser, and whatever parses survives its own encoding
    /// (the Stratum side feeds the same kind of garbage through `StratumInbound`).
    @Test func neverCrashesOnGarbageAndRoundTrips() throws {
        var rng = SystemRandomNumberGenerator()
        let pieces = [#"{"#, #"}"#, #"["#, #"]"#, #","#, #":"#, #""k""#, #""\u00e9\n""#, "-1.5e3", "0", "true", "null", " ", "\u{1}"]
            .map { Array($0.utf8) } + [[0xff], [0xc3]]
        var parsed = 0
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 0...24, using: &rng)).flatMap { _ in pieces.randomElement(using: &rng)! }
            guard let value = try? JSONParser.parse(bytes) else { continue }
            parsed += 1
            #expect(try JSONParser.parse(value.jsonText) == value)
        }
        #expect(parsed > 0)
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.tooDeep(limit: JSONParser.maximumDepth)) { try JSONParser.parse(deep) }
    }
}

// Moved from StratumClientTests (the client's own StratumJSON is gone) and BitcoinRPCTests
// (the RPC models' JSONValue is gone), types adjusted.
@Suite("JSON codec, as the miner and the RPC client use it")
struct JSONUsageTests {
    @Test("numbers keep their text; nested values parse")
    func parse() throws {
        let v = try JSONParser.parse(#" {"id": 3, "result": [0.0001, "a\"b\u00e9", true, null, {}], "error": null} "#)
        #expect(v["id"] == .number("3"))
        #expect(v["result"] == .array([.number("0.0001"), .string("a\"bé"), .bool(true), .null, .object([])]))
        #expect(v["error"]?.isNull == true)
    }

    @Test("serialization round-trips")
    func roundTrip() throws {
        let v = JSONValue.object([JSONMember("method", .string("x\n\"y\"")),
                                  JSONMember("params", .array([.number("1e-3"), .bool(false)]))])
        #expect(try JSONParser.parse(v.jsonText) == v)
    }

    @Test("bad JSON is refused", arguments: ["", "{", "[1,]", "{\"a\" 1}", "01x", "\"abc", "nul", "[1] 2"])
    func invalid(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func jsonValues() throws {
        let v = try JSONParser.parse(Array(#"{"a":[1,2.5,true,null,"x"],"b":-9007199254740993}"#.utf8))
        #expect(v["a"] == [1, .double(2.5), true, nil, "x"])
        #expect(v["b"]?.integerValue == -9_007_199_254_740_993)
        #expect(try JSONParser.parse(v.jsonText) == v)
        #expect((try? JSONParser.parse(Array("{nope".utf8))) == nil)
    }
}

@Suite("JSON codec bounds and forms")
struct JSONBoundsTests {
    @Test("encoding is byte for byte the input for compact, ordered text")
    func byteForByte() throws {
        for text in [#"{"z":1,"a":[-0.5e-3,1E+2,0.0001,12345678901234567890123],"m":{"b":null,"a":"\u0001\"\\é"}}"#,
                     #"[]"#, #"{}"#, #"[[[[]]]]"#, #""""#, #"-0"#, #"true"#] {
            #expect(try JSONParser.parse(text).jsonText == text)
        }
    }

    @Test("texts over the size limit are refused before parsing")
    func sizeLimit() throws {
        let text = "[" + String(repeating: "1,", count: 100) + "1]"
        #expect(throws: JSONParseError.tooLarge(limit: 100)) { try JSONParser.parse(text, maximumBytes: 100) }
        #expect(try JSONParser.parse(text, maximumBytes: text.utf8.count).arrayValue?.count == 101)
        let atDepthLimit = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(throws: Never.self) { try JSONParser.parse(atDepthLimit) }
        let overDepthLimit = "[" + atDepthLimit + "]"
        #expect(throws: JSONParseError.tooDeep(limit: JSONParser.maximumDepth)) { try JSONParser.parse(overDepthLimit) }
    }

    @Test("errors name the offset")
    func errors() {
        #expect(throws: JSONParseError.unexpectedByte(UInt8(ascii: "x"), offset: 4)) { try JSONParser.parse("[1, x]") }
        #expect(throws: JSONParseError.trailingData(offset: 4)) { try JSONParser.parse("[1] 2") }
        #expect(throws: JSONParseError.unexpectedEnd) { try JSONParser.parse(#"{"a":"#) }
        #expect(throws: JSONParseError.unexpectedByte(UInt8(ascii: "1"), offset: 2)) { try JSONParser.parse("[01]") }
        #expect(throws: JSONParseError.invalidNumber(offset: 1)) { try JSONParser.parse("[1.]") }
        #expect(JSONParseError.tooLarge(limit: 9).description == "JSON text longer than 9 bytes")
    }

    @Test("typed numbers, sorted keys and member updates")
    func building() throws {
        #expect(JSONValue.double(3).jsonText == "3")
        #expect(JSONValue.double(0.25).jsonText == "0.25")
        #expect(JSONValue.double(1e-5).jsonText == "1e-05")
        #expect(JSONValue.double(.nan) == .null && JSONValue.double(-.infinity) == .null)
        #expect(JSONValue.uint(UInt64.max).jsonText == "18446744073709551615")
        #expect(JSONValue.int(-7).integerValue == -7)
        #expect(JSONValue.number("5.0").integerValue == 5 && JSONValue.number("5e0").integerValue == 5)
        #expect(JSONValue.number("5.5").integerValue == nil && JSONValue.number("5.0").int64Value == nil)
        #expect(JSONValue.number("2.5").doubleValue == 2.5)
        let v: JSONValue = ["b": ["y": 1, "x": 2], "a": nil]
        #expect(v.jsonText == #"{"b":{"y":1,"x":2},"a":null}"#)
        #expect(v.sortingKeys().jsonText == #"{"a":null,"b":{"x":2,"y":1}}"#)
        #expect(JSONValue.sortedObject(["q": 1, "p": true]).jsonText == #"{"p":true,"q":1}"#)
        var w = v
        w["a"] = "set"
        w["c"] = 3
        w["b"] = nil
        #expect(w.jsonText == #"{"a":"set","c":3}"#)
        #expect(w.dictionaryValue == ["a": "set", "c": 3])
        #expect(w.objectValue?.map(\.key) == ["a", "c"])
    }
}
