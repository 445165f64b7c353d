/// Why a line is not valid JSON. Offsets count bytes from the start of the line.
public enum JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text ended inside a value.
    case unexpectedEnd
    /// A byte that cannot appear here.
    case unexpectedByte(UInt8, offset: Int)
    /// A malformed number.
    case invalidNumber(offset: Int)
    /// A malformed escape sequence in a string.
    case invalidEscape(offset: Int)
    /// A raw control character inside a string.
    case controlCharacterInString(offset: Int)
    /// Arrays/objects nested deeper than the parser allows.
    case tooDeep(limit: Int)
    /// Something other than whitespace after the value.
    case trailingData(offset: Int)
    /// The text is longer than the parser allows.
    case tooLarge(limit: Int)

    /// One line for an operator or a miner's log.
    public var description: String {
        switch self {
        case .unexpectedEnd: return "unexpected end of JSON"
        case .unexpectedByte(let b, let offset): return "unexpected byte 0x\(String(b, radix: 16)) at offset \(offset)"
        case .invalidNumber(let offset): return "invalid number at offset \(offset)"
        case .invalidEscape(let offset): return "invalid escape at offset \(offset)"
        case .controlCharacterInString(let offset): return "control character in string at offset \(offset)"
        case .tooDeep(let limit): return "JSON nested deeper than \(limit)"
        case .trailingData(let offset): return "trailing data at offset \(offset)"
        case .tooLarge(let limit): return "JSON text longer than \(limit) bytes"
        }
    }
}

/// A strict, allocation-light JSON parser (RFC 8259) for one Stratum line, one
/// JSON-RPC body or one HTTP answer.
///
/// It never traps on any input: every malformed text is a `JSONParseError`.
/// Nesting is bounded by `maximumDepth` and length by `maximumBytes`.
/// Invalid UTF-8 inside strings is repaired with U+FFFD rather than rejected.
public struct JSONParser {
    /// How deep arrays and objects may nest (Stratum needs 3, bitcoind's answers 4).
    public static let maximumDepth = 32
    /// The longest text `parse` accepts by default: 64 MiB, above any getblocktemplate
    /// answer for a 4 MWU block. Stratum lines are bounded far lower by their framing.
    public static let defaultMaximumBytes = 64 << 20

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses exactly one JSON value, optionally surrounded by whitespace; texts longer
    /// than `maximumBytes` are refused before any parsing.
    public static func parse(_ bytes: some Collection<UInt8>,
                             maximumBytes: Int = defaultMaximumBytes) throws(JSONParseError) -> JSONValue {
        try parse(Array(bytes), maximumBytes: maximumBytes)
    }

    /// Parses exactly one JSON value from an array (the non-generic path the Stratum codec takes).
    public static func parse(_ bytes: [UInt8],
                             maximumBytes: Int = defaultMaximumBytes) throws(JSONParseError) -> JSONValue {
        guard bytes.count <= maximumBytes else { throw .tooLarge(limit: maximumBytes) }
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < parser.bytes.count { throw .trailingData(offset: parser.index) }
        return value
    }

    /// Parses the UTF-8 of `text`.
    public static func parse(_ text: String,
                             maximumBytes: Int = defaultMaximumBytes) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maximumBytes: maximumBytes)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0a, 0x0d: index += 1
            default: return
            }
        }
    }

    private func peek() throws(JSONParseError) -> UInt8 {
        guard index < bytes.count else { throw .unexpectedEnd }
        return bytes[index]
    }

    private mutating func expect(_ literal: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        for c in literal.utf8 {
            let b = try peek()
            guard b == c else { throw .unexpectedByte(b, offset: index) }
            index += 1
        }
        return value
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        let b = try peek()
        switch b {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw .unexpectedByte(b, offset: index)
        }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > JSONParser.maximumDepth { throw .tooDeep(limit: JSONParser.maximumDepth) }
        index += 1
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        var items: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            let b = try peek()
            index += 1
            if b == UInt8(ascii: "]") { break }
            guard b == UInt8(ascii: ",") else { throw .unexpectedByte(b, offset: index - 1) }
        }
        depth -= 1
        return .array(items)
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        var members: [JSONMember] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            let b = try peek()
            guard b == UInt8(ascii: "\"") else { throw .unexpectedByte(b, offset: index) }
            let key = try parseString()
            skipWhitespace()
            let colon = try peek()
            guard colon == UInt8(ascii: ":") else { throw .unexpectedByte(colon, offset: index) }
            index += 1
            skipWhitespace()
            members.append(JSONMember(key, try parseValue()))
            skipWhitespace()
            let next = try peek()
            index += 1
            if next == UInt8(ascii: "}") { break }
            guard next == UInt8(ascii: ",") else { throw .unexpectedByte(next, offset: index - 1) }
        }
        depth -= 1
        return .object(members)
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw .unexpectedEnd }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits() > 0 else { throw .invalidNumber(offset: start) }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw .invalidNumber(offset: start) }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw .invalidNumber(offset: start) }
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else { throw .unexpectedEnd }
            let b = bytes[index]
            index += 1
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0..<0x20:
                throw .controlCharacterInString(offset: index - 1)
            default:
                out.append(b)
            }
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONParseError) {
        let at = index - 1
        guard index < bytes.count else { throw .unexpectedEnd }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0c)
        case UInt8(ascii: "n"): out.append(0x0a)
        case UInt8(ascii: "r"): out.append(0x0d)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(at: at)
            if (0xd800..<0xdc00).contains(scalar), index + 1 < bytes.count,
               bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let save = index
                index += 2
                let low = try hex4(at: at)
                if (0xdc00..<0xe000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                } else {
                    index = save
                }
            }
            let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: String(Character(value)).utf8)
        default:
            throw .invalidEscape(offset: at)
        }
    }

    private mutating func hex4(at escape: Int) throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw .unexpectedEnd }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
            default: throw .invalidEscape(offset: escape)
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }
}
