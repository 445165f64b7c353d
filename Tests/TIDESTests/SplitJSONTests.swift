import BitcoinPrimitives
import JSON
import Testing
import TIDES

/// `TidesSplit.json`, the form `tidepool tides` prints and `/api/v1/payouts` serves.
@Suite("TIDES split as JSON")
struct SplitJSONTests {
    @Test("one share takes the whole reward; no lottery")
    func single() throws {
        let n = try CompactTarget(rawValue: 0x207fffff).target()
        let split = try Tides.split(reward: amount(1000), networkTarget: n,
                                    sharesNewestFirst: [TidesShare(script: Script([0x51]), work: Work.of(target: n))],
                                    parameters: params(dust: 1, budget: 600), lotterySeed: zeroSeed)
        #expect(split.json.jsonText
                == #"{"outputs":[{"script":"51","amount":1000}],"window_work":"2","lottery":{"pool":0,"winner":null}}"#)
    }

    @Test("outputs follow the coinbase order; amounts add up to the reward")
    func outputs() throws {
        let n = try CompactTarget(rawValue: 0x1f00ffff).target()
        let shares = (0..<30).map { TidesShare(script: testScript(UInt8($0 % 7)), work: Work.of(target: n)) }
        let split = try Tides.split(reward: amount(312_500_000), networkTarget: n, sharesNewestFirst: shares,
                                    parameters: params(), lotterySeed: zeroSeed)
        let json = split.json
        let rows = try #require(json["outputs"]?.arrayValue)
        #expect(rows.map { $0["script"]?.stringValue } == split.outputs.map { $0.script.hex })
        #expect(rows.compactMap { $0["amount"]?.integerValue }.reduce(0, +) + (json["lottery"]?["pool"]?.integerValue ?? 0)
                == split.outputs.map(\.amount.satoshis).reduce(0, +) + split.budgeted.lotteryPool.satoshis)
        #expect(json["window_work"] == .string(split.windowWork.description))
    }
}
