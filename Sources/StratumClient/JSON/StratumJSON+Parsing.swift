/// Why a line is not JSON.
public struct StratumJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset of the problem in the UTF-8 text.
    public var offset: Int
    /// What was expected there.
    public var reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension StratumJSON {
    /// Parses one JSON document (surrounding whitespace allowed).
    public init(parsing text: String) throws(StratumJSONError) {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw parser.error("trailing characters") }
        self = value
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0
        static let maxDepth = 64

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ reason: String) -> StratumJSONError { StratumJSONError(offset: position, reason: reason) }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
        }

        mutating func expect(_ literal: String, _ value: StratumJSON) throws(StratumJSONError) -> StratumJSON {
            let lit = Array(literal.utf8)
            guard position + lit.count <= bytes.count, Array(bytes[position..<position + lit.count]) == lit else {
                throw error("expected \(literal)")
            }
            position += lit.count
            return value
        }

        mutating func parseValue(depth: Int) throws(StratumJSONError) -> StratumJSON {
            guard depth < Self.maxDepth else { throw error("nesting too deep") }
            guard let c = current else { throw error("unexpected end") }
            switch c {
            case UInt8(ascii: "n"): return try expect("null", .null)
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "["): return try parseArray(depth: depth)
            case UInt8(ascii: "{"): return try parseObject(depth: depth)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
            default: throw error("unexpected character")
            }
        }

        mutating func parseArray(depth: Int) throws(StratumJSONError) -> StratumJSON {
            position += 1
            var items: [StratumJSON] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"): position += 1; return .array(items)
                default: throw error("expected , or ]")
                }
            }
        }

        mutating func parseObject(depth: Int) throws(StratumJSONError) -> StratumJSON {
            position += 1
            var members: [(String, StratumJSON)] = []
            skipWhitespace()
            if current == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a key") }
                let key = try parseString()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw error("expected :") }
                position += 1
                skipWhitespace()
                members.append((key, try parseValue(depth: depth + 1)))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"): position += 1; return .object(members)
                default: throw error("expected , or }")
                }
            }
        }

        mutating func parseNumber() throws(StratumJSONError) -> String {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { throw error("expected digits") }
            if current == UInt8(ascii: ".") {
                position += 1
                guard skipDigits() > 0 else { throw error("expected fraction digits") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard skipDigits() > 0 else { throw error("expected exponent digits") }
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func skipDigits() -> Int {
            let start = position
            while let c = current, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { position += 1 }
            return position - start
        }

        mutating func parseString() throws(StratumJSONError) -> String {
            position += 1
            var scalars = String.UnicodeScalarView()
            var run = position
            func flush(_ p: Int) { scalars.append(contentsOf: String(decoding: bytes[run..<p], as: UTF8.self).unicodeScalars) }
            while true {
                guard let c = current else { throw error("unterminated string") }
                if c == UInt8(ascii: "\"") {
                    flush(position)
                    position += 1
                    return String(scalars)
                }
                if c == UInt8(ascii: "\\") {
                    flush(position)
                    position += 1
                    scalars.append(try parseEscape())
                    run = position
                    continue
                }
                guard c >= 0x20 else { throw error("control character in string") }
                position += 1
            }
        }

        mutating func parseEscape() throws(StratumJSONError) -> Unicode.Scalar {
            guard let c = current else { throw error("unterminated escape") }
            position += 1
            switch c {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let high = try parseHex4()
                if (0xD800..<0xDC00).contains(high) {
                    guard current == UInt8(ascii: "\\"), position + 1 < bytes.count,
                          bytes[position + 1] == UInt8(ascii: "u") else { throw error("unpaired surrogate") }
                    position += 2
                    let low = try parseHex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("bad low surrogate") }
                    let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    guard let scalar = Unicode.Scalar(value) else { throw error("bad code point") }
                    return scalar
                }
                guard let scalar = Unicode.Scalar(high) else { throw error("bad code point") }
                return scalar
            default: throw error("bad escape")
            }
        }

        mutating func parseHex4() throws(StratumJSONError) -> UInt32 {
            guard position + 4 <= bytes.count,
                  let v = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
            else { throw error("expected 4 hex digits") }
            position += 4
            return v
        }
    }
}
