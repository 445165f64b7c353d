import BitcoinPrimitives

/// One entry of the firmware table: how a `mining.subscribe` user agent is recognised,
/// the coinbase size class it gets, and where the limit comes from (Docs/FIRMWARE.md).
public struct UserAgentRule: Sendable, Hashable {
    /// How the user agent is matched, ASCII case-insensitively.
    public enum Match: Sendable, Hashable {
        case prefix(String)
        case contains(String)
    }

    public var match: Match
    public var sizeClass: CoinbaseSizeClass
    /// The firmware, in words.
    public var firmware: String
    /// Where the limit was taken from.
    public var source: String

    /// Whether `lowercasedAgent` (already lowercased) matches.
    func matches(_ lowercasedAgent: String) -> Bool {
        switch match {
        case .prefix(let p): return lowercasedAgent.hasPrefix(p)
        case .contains(let s): return lowercasedAgent.contains(s)
        }
    }
}

extension CoinbaseSizeClass {
    /// The user-agent table, first match wins (more specific entries first). Not
    /// consensus: a node may serve any class to any miner; the share declares it.
    public static let userAgentRules: [UserAgentRule] = [
        UserAgentRule(match: .prefix("nerdminerv2"), sizeClass: .bytes255, firmware: "NerdMiner v2",
                      source: "https://github.com/BitMaker-hub/NerdMiner_v2/issues/809"),
        UserAgentRule(match: .prefix("han_solominer"), sizeClass: .bytes255, firmware: "NerdMiner v2 (HAN build)",
                      source: "https://github.com/BitMaker-hub/NerdMiner_v2/issues/809"),
        UserAgentRule(match: .prefix("bitaxe"), sizeClass: .halves384, firmware: "ESP-Miner (Bitaxe)",
                      source: "https://github.com/bitaxeorg/ESP-Miner/pull/1897"),
        UserAgentRule(match: .prefix("nicehash/"), sizeClass: .bytes500, firmware: "NiceHash",
                      source: "OCEAN-xyz/datum_gateway src/datum_stratum.c datum_stratum_fingerprint_by_UA (TINY)"),
        UserAgentRule(match: .prefix("antminer s21/"), sizeClass: .bytes2250, firmware: "Antminer S21 stock",
                      source: "OCEAN-xyz/datum_gateway src/datum_stratum.c datum_stratum_fingerprint_by_UA (ANTMAIN2)"),
        UserAgentRule(match: .contains("bosminer-plus-tuner"), sizeClass: .bytes2250, firmware: "Braiins OS",
                      source: "OCEAN-xyz/datum_gateway src/datum_stratum.c datum_stratum_fingerprint_by_UA (ANTMAIN2)"),
        UserAgentRule(match: .prefix("whatsminer/v1"), sizeClass: .bytes6500, firmware: "Whatsminer",
                      source: "OCEAN-xyz/datum_gateway src/datum_stratum.c datum_stratum_fingerprint_by_UA (RESPECTABLE)"),
        UserAgentRule(match: .prefix("powerplay-bm/"), sizeClass: .bytes16000, firmware: "ePIC PowerPlay",
                      source: "OCEAN-xyz/datum_gateway src/datum_stratum.c datum_stratum_fingerprint_by_UA (YUGE)"),
        UserAgentRule(match: .prefix("xminer-1."), sizeClass: .bytes16000, firmware: "xminer (\"vinsh\")",
                      source: "OCEAN-xyz/datum_gateway src/datum_stratum.c datum_stratum_fingerprint_by_UA (YUGE)"),
        UserAgentRule(match: .prefix("antminer"), sizeClass: .bytes730, firmware: "Antminer stock (other models)",
                      source: "OCEAN-xyz/datum_gateway src/datum_stratum.c client_mining_subscribe (default, \"universally compatible except for NiceHash\")"),
        UserAgentRule(match: .prefix("cpuminer/"), sizeClass: .bytes16000, firmware: "cpuminer (pooler)",
                      source: "pooler/cpuminer util.c stratum_notify: the coinbase buffer is realloc'd to coinb1 + extranonces + coinb2"),
        UserAgentRule(match: .prefix("tidepool-mine/"), sizeClass: .bytes16000, firmware: "tidepool mine (CPU)",
                      source: "Sources/StratumClient: halves are Swift arrays, no fixed buffer"),
    ]

    /// The rule that matches a `mining.subscribe` user agent, if any.
    public static func userAgentRule(for userAgent: String?) -> UserAgentRule? {
        guard let userAgent, !userAgent.isEmpty else { return nil }
        let lower = String(userAgent.prefix(256)).lowercased()
        return userAgentRules.first { $0.matches(lower) }
    }

    /// The class for a miner that sent `userAgent` in `mining.subscribe` (nil or empty
    /// when it sent none): the table's class, or `safest` for firmware not in the table.
    public static func forUserAgent(_ userAgent: String?) -> CoinbaseSizeClass {
        userAgentRule(for: userAgent)?.sizeClass ?? .safest
    }
}
