import BitcoinPrimitives
import Foundation
import NodeAPI
import Testing

@Suite("HTTP API: statistics and dashboard")
struct StatisticsRouteTests {
    @Test("GET /api/v1/stats")
    func stats() async throws {
        let r = try await NodeAPITests.get("/api/v1/stats")
        #expect(r.status == 200 && r.contentType?.hasPrefix("application/json") == true)
        let o = try NodeAPITests.object(r.body)
        #expect(Set(o.keys) == ["time", "sample_seconds", "covered_minutes", "estimator", "node_miners", "sharechain",
                                "connected_workers", "addresses", "next_block", "luck"])
        #expect(o["time"] as? Int == 780 && o["covered_minutes"] as? Int == 3 && o["addresses"] as? Int == 2)
        let miners = try #require(o["node_miners"] as? [String: Any])
        let rates = try #require(miners["hashrate"] as? [[String: Any]])
        #expect(rates.map { $0["window_seconds"] as? Int } == [60, 300, 3600])
        #expect(rates[0]["hashes"] as? String == String(UInt128(120) << 32))
        #expect(rates[0]["hashes_per_second"] as? Double == 8_589_934_592)
        #expect(rates[0]["samples"] as? Int == 120)
        let lastHour = try #require(miners["last_hour"] as? [String: Any])
        #expect(lastHour["accepted"] as? Int == 270 && lastHour["stale"] as? Int == 2 && lastHour["rejected"] as? Int == 1)
        let history = try #require(miners["history"] as? [String: Any])
        #expect((history["hour"] as? [[String: Any]])?.map { $0["start"] as? Int } == [660, 720, 780])
        let next = try #require(o["next_block"] as? [String: Any])
        #expect(next["hashrate_basis"] as? String == "sharechain")
        #expect(next["expected_hashes"] as? String == String(UInt64(1) << 39))
        let luck = try #require(o["luck"] as? [String: Any])
        let blocks = try #require(luck["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["height"] as? Int } == [101, 100, 90])
        #expect(blocks[0]["effort_percent"] as? Double == 93.75 && blocks[0]["partial_round"] as? Bool == false)
        #expect(blocks[2]["work_done"] is NSNull)
        #expect((luck["all"] as? [String: Any])?["blocks"] as? Int == 1)
    }

    @Test("GET /api/v1/miners/ADDRESS: statistics, workers and the exact payout if found now")
    func miner() async throws {
        let r = try await NodeAPITests.get("/api/v1/miners/\(FakeNode.address)")
        #expect(r.status == 200)
        let o = try NodeAPITests.object(r.body)
        #expect(Set(o.keys) == ["address", "time", "estimator", "statistics", "workers", "payout", "next_block"])
        let stats = try #require(o["statistics"] as? [String: Any])
        #expect((stats["last_hour"] as? [String: Any])?["hashes"] as? String == String(UInt128(240) << 32))
        let workers = try #require(o["workers"] as? [[String: Any]])
        #expect(workers.count == 1 && workers[0]["worker"] as? String == "rig1" && workers[0]["connected"] as? Bool == true)
        let payout = try #require(o["payout"] as? [String: Any])
        // FakeNode's split: work 3 of 4, reward 312,500,000.
        #expect(payout["if_found_now"] as? Int == 234_375_000 && payout["expected_value"] as? Int == 234_375_000)
        #expect(payout["window_work"] as? String == "3" && payout["window_total_work"] as? String == "4")
        #expect(payout["window_share"] as? Double == 0.75 && payout["lottery_won"] as? Bool == false)
    }

    @Test("GET /api/v1/miners/ADDRESS: 400 for a bad address, 404 for an unknown one")
    func minerErrors() async throws {
        let bad = try await NodeAPITests.get("/api/v1/miners/not-an-address")
        #expect(bad.status == 400)
        #expect(try NodeAPITests.object(bad.body)["error"] as? String != nil)
        let unknown = Address(scriptPubKey: Script(hex: "0014" + String(repeating: "11", count: 20))!)!.encoded(for: .regtest)
        #expect(try await NodeAPITests.get("/api/v1/miners/\(unknown)").status == 404)
    }

    @Test("the dashboard is HTML at / and /dashboard and calls only documented endpoints")
    func dashboard() async throws {
        for path in ["/", "/dashboard"] {
            let r = try await NodeAPITests.get(path)
            #expect(r.status == 200 && r.contentType == DashboardPage.contentType)
            #expect(r.body.hasPrefix("<!doctype html>"))
            #expect(!r.body.contains("http://") && !r.body.contains("https://") && !r.body.contains("src="))
            let used = Set(r.body.matches(of: /\/api\/v1\/[a-z]+\/?/).map { String($0.output) })
            #expect(used == Set(DashboardPage.endpoints))
        }
        let docs = try String(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Docs/HTTP-API.md"), encoding: .utf8)
        for endpoint in DashboardPage.endpoints {
            let route = endpoint.replacingOccurrences(of: "/api/v1", with: "")
            #expect(docs.contains("`GET /api/v1\(route)"), "\(endpoint) is not in Docs/HTTP-API.md")
        }
    }
}
