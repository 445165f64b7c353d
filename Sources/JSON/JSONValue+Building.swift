// Constructors and readers shared by the codec's users: typed numbers for the HTTP API
// and bitcoind's RPC, literals, dictionary views and the sorted-keys form.

extension JSONValue {
    /// A number from a signed integer.
    public static func int(_ value: Int64) -> JSONValue { .number(String(value)) }

    /// A number from an unsigned integer.
    public static func uint(_ value: UInt64) -> JSONValue { .number(String(value)) }

    /// A number from a `Double`: whole numbers below 10^15 without a fraction, others in
    /// Swift's shortest round-trip form (valid JSON: `0.25`, `1e-05`); NaN and infinities
    /// are written as `null`.
    public static func double(_ value: Double) -> JSONValue {
        guard value.isFinite else { return .null }
        if value == value.rounded(), abs(value) < 1e15 { return .number(String(Int64(value))) }
        return .number("\(value)")
    }

    /// A string, or `null` for nil.
    public static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// An object from `(key, value)` pairs, in the order given.
    public static func fields(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(pairs.map { JSONMember($0.0, $0.1) })
    }

    /// An object from a dictionary, members sorted by key (a deterministic order).
    public static func sortedObject(_ dictionary: [String: JSONValue]) -> JSONValue {
        .object(dictionary.sorted { $0.key < $1.key }.map { JSONMember($0.key, $0.value) })
    }

    /// This value with every object's members sorted by key, recursively (the form
    /// Foundation's `JSONEncoder` with `.sortedKeys` writes).
    public func sortingKeys() -> JSONValue {
        switch self {
        case .array(let items): return .array(items.map { $0.sortingKeys() })
        case .object(let members):
            return .object(members.map { JSONMember($0.key, $0.value.sortingKeys()) }
                .enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element))
        default: return self
        }
    }
}

// MARK: - Readers

extension JSONValue {
    /// Whether the value is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The members in order, if this is an object.
    public var objectValue: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The members as a dictionary (the first of duplicated keys wins), if this is an object.
    public var dictionaryValue: [String: JSONValue]? {
        guard case .object(let members) = self else { return nil }
        var out: [String: JSONValue] = [:]
        for m in members where out[m.key] == nil { out[m.key] = m.value }
        return out
    }

    /// The number as an integer if its value is one: exact for integer text in `Int64`'s
    /// range, and also for `5.0` or `5e0` below 9×10^15 (what a `Double` holds exactly).
    public var integerValue: Int64? {
        guard case .number(let text) = self else { return nil }
        if let i = Int64(text) { return i }
        guard let d = Double(text), d.rounded() == d, abs(d) < 9.0e15 else { return nil }
        return Int64(d)
    }

    /// The number as a `Double`, if this is a number.
    public var doubleValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// The value of `key` in an object; setting it replaces the first such member or appends
    /// one (on a non-object, setting does nothing; setting nil removes every such member).
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let members) = self { return members.first { $0.key == key }?.value }
            return nil
        }
        set {
            guard case .object(var members) = self else { return }
            if let newValue {
                if let i = members.firstIndex(where: { $0.key == key }) {
                    members[i].value = newValue
                } else {
                    members.append(JSONMember(key, newValue))
                }
            } else {
                members.removeAll { $0.key == key }
            }
            self = .object(members)
        }
    }
}

// MARK: - Literals and text

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object with the members in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { JSONMember($0.0, $0.1) })
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text.
    public var description: String { jsonText }
}
