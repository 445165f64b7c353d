import BitcoinPrimitives

extension CoinbaseSizeClass {
    /// Parses a class as a miner (`cb=…` in the password) or an operator (config) writes
    /// it: the nominal size (`255`, `384`, `500`, `730`, `2250`, `6500`, `16000`, an
    /// optional `B` suffix, `_` or `,` digit separators) or a firmware name
    /// (`nerdminer`, `bitaxe`, `nicehash`, `antminer`, `s21`, `braiins`, `whatsminer`,
    /// `epic`), ASCII case-insensitive. Nil for anything else.
    public init?(text: String) {
        var t = text.lowercased().filter { $0 != "_" && $0 != "," }
        if t.hasSuffix("b") { t.removeLast() }
        if let n = Int(t), let c = Self.allCases.first(where: { $0.nominalSize == n }) {
            self = c
            return
        }
        switch t {
        case "nerdminer": self = .bytes255
        case "bitaxe", "esp-miner": self = .halves384
        case "nicehash": self = .bytes500
        case "antminer", "s19": self = .bytes730
        case "s21", "braiins", "bosminer": self = .bytes2250
        case "whatsminer": self = .bytes6500
        case "epic", "powerplay": self = .bytes16000
        default: return nil
        }
    }

    /// `cb=N` among the password's comma/space/semicolon-separated options (as `d=N`
    /// is parsed by `StratumSession`); nil when absent or not a class.
    public static func requested(password: String) -> CoinbaseSizeClass? {
        for option in password.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }) {
            if option.lowercased().hasPrefix("cb="), let c = CoinbaseSizeClass(text: String(option.dropFirst(3))) {
                return c
            }
        }
        return nil
    }
}

/// How a node picks the coinbase size class of a miner's jobs: the operator's word,
/// then the miner's password (`cb=N`), then the user agent table, then `safest`.
/// Pure: the lead's coordinator calls `choose` once per authorized connection and
/// builds one job per (payout address, class).
public struct CoinbaseSizeClassPolicy: Sendable, Hashable {
    /// Operator overrides by the username as the miner sends it (`address.worker`) or
    /// by the payout address alone; the full username wins over the address.
    public var overrides: [String: CoinbaseSizeClass]
    /// A class for every miner, below `overrides` (nil: no node-wide override).
    public var nodeDefault: CoinbaseSizeClass?

    /// Why a class was chosen (for logs and the API).
    public enum Reason: Sendable, Hashable {
        case operatorWorker, operatorAddress, operatorDefault, password, userAgent(UserAgentRule), unknownFirmware
    }

    public init(overrides: [String: CoinbaseSizeClass] = [:], nodeDefault: CoinbaseSizeClass? = nil) {
        self.overrides = overrides
        self.nodeDefault = nodeDefault
    }

    /// Parses operator config entries `key = class` (key: `address` or `address.worker`,
    /// or `*` for every miner; class: see `CoinbaseSizeClass(text:)`). Throws the first
    /// entry whose class does not parse.
    public init(config: [(key: String, value: String)]) throws(InvalidEntry) {
        var overrides: [String: CoinbaseSizeClass] = [:]
        var nodeDefault: CoinbaseSizeClass?
        for (key, value) in config {
            guard let c = CoinbaseSizeClass(text: value.trimmingASCIIWhitespace) else {
                throw InvalidEntry(key: key, value: value)
            }
            let k = key.trimmingASCIIWhitespace
            if k == "*" { nodeDefault = c } else { overrides[k] = c }
        }
        self.init(overrides: overrides, nodeDefault: nodeDefault)
    }

    /// A config entry whose class is not one of `CoinbaseSizeClass.allCases`.
    public struct InvalidEntry: Error, Sendable, Hashable, CustomStringConvertible {
        public var key: String
        public var value: String
        public var description: String {
            "coinbase class '\(value)' for '\(key)' is not one of "
                + CoinbaseSizeClass.allCases.map { String($0.nominalSize) }.joined(separator: ", ")
        }
    }

    /// The class for a miner: `username` as sent in `mining.authorize` (`address[.worker]`),
    /// its `password`, and the `userAgent` of `mining.subscribe`.
    public func choose(username: String, password: String?, userAgent: String?) -> (CoinbaseSizeClass, Reason) {
        if let c = overrides[username] { return (c, .operatorWorker) }
        let address = username.split(separator: ".", maxSplits: 1).first.map(String.init) ?? username
        if let c = overrides[address] { return (c, .operatorAddress) }
        if let c = nodeDefault { return (c, .operatorDefault) }
        if let password, let c = CoinbaseSizeClass.requested(password: password) { return (c, .password) }
        if let rule = CoinbaseSizeClass.userAgentRule(for: userAgent) { return (rule.sizeClass, .userAgent(rule)) }
        return (.safest, .unknownFirmware)
    }
}

extension String {
    fileprivate var trimmingASCIIWhitespace: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
