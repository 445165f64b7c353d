import BitcoinPrimitives
import StratumProtocol
import Testing

/// Choosing a miner's coinbase size class: user agent table, `cb=N` password option,
/// operator overrides (Docs/STRATUM.md, Docs/FIRMWARE.md).
@Suite struct CoinbaseSizeClassChoiceTests {
    @Test(arguments: [
        ("NerdMinerV2/1.7.0", CoinbaseSizeClass.bytes255),
        ("bitaxe/BM1370/v2.9.0", .halves384),
        ("NiceHash/1.0.0", .bytes500),
        ("Antminer S21/Tue Mar 12 2024", .bytes2250),
        ("Antminer S21 Pro/2024", .bytes730),  // DATUM: S21 Pro not confirmed, keep the slash
        ("Antminer S19j Pro/Mon Jan 1", .bytes730),
        ("bosminer/1.0 bosminer-plus-tuner/2.0", .bytes2250),
        ("whatsminer/v1.1", .bytes6500),
        ("PowerPlay-BM/1.0", .bytes16000),
        ("xminer-1.2.3", .bytes16000),
        ("tidepool-mine/1", .bytes16000),
        ("cgminer/4.12.1", .safest),
        ("", .safest),
    ])
    func userAgentTable(agent: String, expected: CoinbaseSizeClass) {
        #expect(CoinbaseSizeClass.forUserAgent(agent) == expected)
    }

    @Test func noUserAgentGetsTheSafestClass() {
        #expect(CoinbaseSizeClass.forUserAgent(nil) == .safest)
        #expect(CoinbaseSizeClass.safest == .bytes255)
        #expect(CoinbaseSizeClass.userAgentRules.allSatisfy { !$0.source.isEmpty })
    }

    @Test func passwordOption() {
        #expect(CoinbaseSizeClass.requested(password: "cb=384") == .halves384)
        #expect(CoinbaseSizeClass.requested(password: "d=1024,cb=2250") == .bytes2250)
        #expect(CoinbaseSizeClass.requested(password: "x; CB=6500B") == .bytes6500)
        #expect(CoinbaseSizeClass.requested(password: "cb=antminer") == .bytes730)
        #expect(CoinbaseSizeClass.requested(password: "cb=16_000") == .bytes16000)
        #expect(CoinbaseSizeClass.requested(password: "cb=1000") == nil)
        #expect(CoinbaseSizeClass.requested(password: "x") == nil)
        for c in CoinbaseSizeClass.allCases { #expect(CoinbaseSizeClass(text: String(c.nominalSize)) == c) }
    }

    @Test func precedenceOperatorThenPasswordThenUserAgent() throws {
        let address = "bcrt1qexampleaddress"
        var policy = try CoinbaseSizeClassPolicy(config: [(key: address, value: "500"), (key: "\(address).rig2", value: "s21")])
        #expect(policy.choose(username: "\(address).rig2", password: "cb=255", userAgent: nil).0 == .bytes2250)
        #expect(policy.choose(username: "\(address).rig1", password: "cb=255", userAgent: nil).0 == .bytes500)
        #expect(policy.choose(username: "other", password: "cb=6500", userAgent: "NerdMinerV2").0 == .bytes6500)
        #expect(policy.choose(username: "other", password: "x", userAgent: "NerdMinerV2").0 == .bytes255)
        #expect(policy.choose(username: "other", password: nil, userAgent: "mystery/1").1 == .unknownFirmware)
        policy.nodeDefault = .bytes730
        #expect(policy.choose(username: "other", password: "cb=6500", userAgent: nil) == (.bytes730, .operatorDefault))
        #expect(throws: CoinbaseSizeClassPolicy.InvalidEntry.self) {
            try CoinbaseSizeClassPolicy(config: [(key: "*", value: "huge")])
        }
    }
}
