import JSON
import Testing
@testable import tidepool

@Suite("tidepool status view")
struct StatusViewTests {
    static func json(_ text: String) throws -> JSONValue {
        let value = try JSONParser.parse(text)
        try #require(value.objectValue != nil)
        return value
    }

    static let series = #"{"hashrate":[{"window_seconds":60,"hashes_per_second":8589934592,"relative_error":0.1},{"window_seconds":300,"hashes_per_second":1500,"relative_error":null}],"last_hour":{"accepted":270,"stale":2,"rejected":1}}"#

    @Test("renders the node, the pool numbers and an address's payout")
    func render() throws {
        let status = try Self.json(#"{"network":"devnet","synced":true,"tip":{"height":42},"peers":3}"#)
        let stats = try Self.json(#"{"covered_minutes":3,"connected_workers":1,"addresses":2,"node_miners":\#(Self.series),"sharechain":\#(Self.series),"next_block":{"hashrate_basis":"node_miners","expected_seconds":5400},"luck":{"round":{"effort_percent":15.625},"day":{"effort_percent":93.75},"week":{"effort_percent":null},"all":{"effort_percent":93.75},"blocks":[{"height":101,"hash":"0303030303030303ff","effort_percent":93.75,"partial_round":false}]}}"#)
        let miner = try Self.json(#"{"address":"bcrt1qexample","statistics":\#(Self.series),"payout":{"if_found_now":234375000,"expected_value":234375313,"window_share":0.75},"workers":[{"worker":"rig1","connected":false,"statistics":\#(Self.series)}]}"#)
        let text = StatusView.render(status: status, stats: stats, miner: miner)
        #expect(text.contains("Tidepool devnet · share height 42 · 3 peers"))
        #expect(text.contains("node miners   1 min 8.59 GH/s ±10% · 5 min 1.50 kH/s"))
        #expect(text.contains("last hour     270 accepted, 2 stale, 1 rejected"))
        #expect(text.contains("next block    90 min (at the node miners rate)"))
        #expect(text.contains("effort        round 15.6 % · day 93.8 % · week – · all 93.8 %"))
        #expect(text.contains("block 101  0303030303030303…  effort 93.8 %"))
        #expect(text.contains("if found now  2.34375000 BTC · expected value 2.34375313 BTC · window share 75.000 %"))
        #expect(text.contains("rig1 (offline): 1 min 8.59 GH/s"))
    }
}
