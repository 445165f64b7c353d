import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NodeAPI
import Prometheus
import Testing

@Suite("HTTP API")
struct NodeAPITests {
    static func app(_ node: FakeNode = FakeNode(), metrics: NodeMetrics = NodeMetrics(registry: PrometheusCollectorRegistry()))
        -> some ApplicationProtocol
    {
        NodeAPIService(host: "127.0.0.1", port: 0, provider: node, metrics: metrics,
                       logger: Logger(label: "test.api")).makeApplication()
    }

    /// GETs `uri` and returns the status, content type and body.
    static func get(_ uri: String, node: FakeNode = FakeNode(),
                    metrics: NodeMetrics = NodeMetrics(registry: PrometheusCollectorRegistry()))
        async throws -> (status: Int, contentType: String?, body: String)
    {
        try await app(node, metrics: metrics).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                (Int(response.status.code), response.headers[.contentType], String(buffer: response.body))
            }
        }
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func array(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test("GET /api/v1/status")
    func status() async throws {
        let r = try await Self.get("/api/v1/status")
        #expect(r.status == 200)
        #expect(r.contentType?.hasPrefix("application/json") == true)
        let o = try Self.object(r.body)
        #expect(Set(o.keys) == ["network", "consensus_id", "tip", "chain_work", "synced", "peers", "bitcoin", "store", "retention"])
        let store = try #require(o["store"] as? [String: Any])
        #expect(store["healthy"] as? Bool == true && store["error"] is NSNull)
        #expect(o["network"] as? String == "devnet")
        #expect(o["consensus_id"] as? String == String(repeating: "01", count: 32))
        #expect(o["chain_work"] as? String == "123456789012345678901234567890")
        #expect(o["synced"] as? Bool == true)
        #expect(o["peers"] as? Int == 3)
        let tip = try #require(o["tip"] as? [String: Any])
        #expect(tip["hash"] as? String == String(repeating: "ab", count: 32) && tip["height"] as? Int == 42)
        let bitcoin = try #require(o["bitcoin"] as? [String: Any])
        #expect(Set(bitcoin.keys) == ["height", "best_block_hash"])
        #expect(bitcoin["best_block_hash"] as? String == FakeNode.blockHash.description)
    }

    @Test("GET /api/v1/payouts is the tidepool tides output")
    func payouts() async throws {
        let r = try await Self.get("/api/v1/payouts")
        #expect(r.status == 200)
        let expected = TidesCommandOutput.expected(try await FakeNode().payouts())
        #expect(r.body == expected)
        let o = try Self.object(r.body)
        #expect(Set(o.keys) == ["outputs", "window_work", "lottery"])
        let outputs = try #require(o["outputs"] as? [[String: Any]])
        #expect(outputs.count == 2)
        #expect(outputs.compactMap { $0["amount"] as? Int }.reduce(0, +) == 312_500_000)
        #expect(o["window_work"] as? String == "4")
    }

    @Test("GET /api/v1/payouts without a template is a 503 JSON error")
    func payoutsUnavailable() async throws {
        let r = try await Self.get("/api/v1/payouts", node: FakeNode(payoutsUnavailable: true))
        #expect(r.status == 503)
        #expect(try Self.object(r.body)["error"] as? String == "no block template yet")
    }

    @Test("GET /api/v1/shares: newest first, every key, block_hash only on blocks")
    func shares() async throws {
        let r = try await Self.get("/api/v1/shares")
        #expect(r.status == 200)
        let rows = try Self.array(r.body)
        #expect(rows.count == 2)
        let keys: Set<String> = ["hash", "prev_hash", "height", "bits", "timestamp", "payout_script",
                                 "payout_address", "node_key", "block_hash"]
        #expect(Set(rows[0].keys) == keys && Set(rows[1].keys) == keys)
        #expect(rows[0]["height"] as? Int == 42 && rows[1]["height"] as? Int == 41)
        #expect(rows[0]["bits"] as? String == "1f00ffff")
        #expect(rows[0]["payout_script"] as? String == FakeNode.script.hex)
        #expect(rows[0]["payout_address"] as? String == FakeNode.address)
        #expect(rows[0]["node_key"] as? String == String(repeating: "07", count: 32))
        #expect(rows[0]["block_hash"] as? String == FakeNode.blockHash.description)
        #expect(rows[1]["block_hash"] is NSNull && rows[1]["payout_address"] is NSNull)
        #expect(rows[1]["prev_hash"] as? String == String(repeating: "0", count: 64))
    }

    @Test("GET /api/v1/shares honours limit and before")
    func sharesPaging() async throws {
        #expect(try Self.array(try await Self.get("/api/v1/shares?limit=1").body).count == 1)
        let page = try Self.array(try await Self.get("/api/v1/shares?limit=5&before=\(FakeNode.tipHash)").body)
        #expect(page.count == 1 && page[0]["height"] as? Int == 41)
        let missing = try await Self.get("/api/v1/shares?before=\(String(repeating: "ee", count: 32))")
        #expect(missing.status == 404)
        #expect(try Self.object(missing.body)["error"] is String)
    }

    @Test("bad limit or before is a 400 JSON error",
          arguments: ["limit=0", "limit=1001", "limit=abc", "limit=-5", "limit=", "before=xyz", "before=abcd",
                      "limit=10&before=\(String(repeating: "g", count: 64))"])
    func badShareQueries(query: String) async throws {
        let r = try await Self.get("/api/v1/shares?\(query)")
        #expect(r.status == 400)
        #expect(r.contentType?.hasPrefix("application/json") == true)
        let o = try Self.object(r.body)
        #expect(Set(o.keys) == ["error"])
    }

    @Test("GET /api/v1/miners")
    func miners() async throws {
        let rows = try Self.array(try await Self.get("/api/v1/miners").body)
        #expect(rows.count == 2)
        #expect(Set(rows[0].keys) == ["address", "worker", "difficulty", "accepted", "rejected", "hashrate", "last_share_time",
                                      "user_agent", "coinbase_class", "coinbase_class_reason"])
        #expect(rows[0]["worker"] as? String == "rig1" && rows[0]["difficulty"] as? Double == 0.001)
        #expect(rows[0]["hashrate"] as? Double == 1_500_000.5 && rows[0]["last_share_time"] as? Int == 1_700_000_100)
        #expect(rows[1]["worker"] is NSNull && rows[1]["last_share_time"] is NSNull)
    }

    @Test("GET /api/v1/blocks")
    func blocks() async throws {
        let rows = try Self.array(try await Self.get("/api/v1/blocks").body)
        #expect(rows.count == 1)
        #expect(Set(rows[0].keys) == ["height", "hash", "share_hash", "time", "reward", "accepted_by_bitcoind",
                                      "verdict", "is_share", "share_header", "bitcoin_bits"])
        #expect(rows[0]["verdict"] as? String == "accepted" && rows[0]["is_share"] as? Bool == true)
        #expect(rows[0]["bitcoin_bits"] as? String == "1b04864c")
        let header = try #require(rows[0]["share_header"] as? [String: Any])
        #expect(Set(header.keys) == ["prev_hash", "height", "bits", "payout_script", "payout_address", "node_key"])
        #expect(header["prev_hash"] as? String == FakeNode.parentHash.description)
        #expect(header["height"] as? Int == 42 && header["bits"] as? String == "1f00ffff")
        #expect(header["payout_script"] as? String == FakeNode.script.hex)
        #expect(header["node_key"] as? String == String(repeating: "07", count: 32))
        #expect(rows[0]["reward"] as? Int == 5_000_000_000 && rows[0]["accepted_by_bitcoind"] as? Bool == true)
        #expect(rows[0]["share_hash"] as? String == FakeNode.tipHash.description)
    }

    @Test("GET /api/v1/peers")
    func peers() async throws {
        let rows = try Self.array(try await Self.get("/api/v1/peers").body)
        #expect(rows.count == 2)
        #expect(Set(rows[0].keys) == ["address", "direction", "node_key", "connected_since", "ban_score"])
        #expect(rows[0]["direction"] as? String == "outbound" && rows[1]["direction"] as? String == "inbound")
        #expect(rows[1]["node_key"] is NSNull && rows[1]["ban_score"] as? Int == 10)
    }

    @Test("unknown routes are 404 JSON", arguments: ["/index.html", "/api/v1/nothing", "/api/v2/status"])
    func notFound(uri: String) async throws {
        let r = try await Self.get(uri)
        #expect(r.status == 404)
        #expect(r.contentType?.hasPrefix("application/json") == true)
        #expect(try Self.object(r.body)["error"] is String)
    }

    @Test("GET /metrics is Prometheus text with the node's metrics")
    func metrics() async throws {
        let metrics = NodeMetrics(registry: PrometheusCollectorRegistry())
        metrics.setTipHeight(42)
        for _ in 0..<4 { metrics.shareAccepted(source: .peer) }
        metrics.shareAccepted(source: .local)
        metrics.shareRejected(source: .peer, reason: "bad_signature")
        metrics.shareRejected(source: .peer, reason: "bad_signature")
        metrics.shareRejected(source: .local, reason: "duplicate")
        metrics.shareOrphaned(source: .peer)
        metrics.sharesPruned(7)
        metrics.setStoredShares(1234)
        metrics.setPeerCount(3)
        metrics.setSynced(true)
        metrics.setHashrate(1500)
        metrics.blockFound()
        metrics.blockSubmitted(.accepted, latency: .milliseconds(30))
        metrics.blockSubmitted(.failed)
        let r = try await Self.get("/metrics", metrics: metrics)
        #expect(r.status == 200)
        #expect(r.contentType == NodeAPIRoutes.metricsContentType)
        let lines = r.body.split(separator: "\n").map(String.init)
        #expect(lines.contains("tidepool_tip_height 42.0"))
        #expect(lines.contains("tidepool_shares_total 5"))
        #expect(lines.contains(#"tidepool_shares_accepted_total{source="peer"} 4"#))
        #expect(lines.contains(#"tidepool_shares_accepted_total{source="local"} 1"#))
        #expect(lines.contains(#"tidepool_shares_rejected_total{source="peer",reason="bad_signature"} 2"#))
        #expect(lines.contains(#"tidepool_shares_rejected_total{source="local",reason="duplicate"} 1"#))
        #expect(lines.contains(#"tidepool_shares_orphaned_total{source="peer"} 1"#))
        #expect(lines.contains("tidepool_pruned_shares_total 7"))
        #expect(lines.contains("tidepool_store_shares 1234.0"))
        #expect(lines.contains("tidepool_peers 3.0"))
        #expect(lines.contains("tidepool_synced 1.0"))
        #expect(lines.contains("tidepool_blocks_found_total 1"))
        #expect(lines.contains(#"tidepool_blocks_total{result="accepted"} 1"#))
        #expect(lines.contains(#"tidepool_blocks_total{result="failed"} 1"#))
        #expect(lines.contains(#"tidepool_blocks_total{result="rejected"} 0"#))
        #expect(lines.contains { $0.hasPrefix(#"tidepool_submitblock_seconds_bucket{le="0.05"#) && $0.hasSuffix("} 1") })
        #expect(lines.contains { $0.hasPrefix(#"tidepool_submitblock_seconds_bucket{le="0.025"#) && $0.hasSuffix("} 0") })
        #expect(lines.contains("tidepool_submitblock_seconds_count 1"))
        #expect(lines.contains { $0.hasPrefix("tidepool_hashrate 1500") })
        #expect(lines.contains("# TYPE tidepool_shares_total counter"))
        #expect(lines.contains("# TYPE tidepool_submitblock_seconds histogram"))
    }
}

@Suite("HTTP API: one share by hash")
struct NodeAPIShareLookupTests {
    @Test("GET /api/v1/shares/HASH finds a known share, 404s an unknown one, 400s a malformed one")
    func lookup() async throws {
        let found = try await NodeAPITests.get("/api/v1/shares/\(FakeNode.tipHash)")
        #expect(found.status == 200)
        #expect(try NodeAPITests.object(found.body)["hash"] as? String == FakeNode.tipHash.description)
        let unknown = try await NodeAPITests.get("/api/v1/shares/\(String(repeating: "ef", count: 32))")
        #expect(unknown.status == 404)
        let malformed = try await NodeAPITests.get("/api/v1/shares/xyz")
        #expect(malformed.status == 400)
    }
}

/// DNS rebinding protection (hardening issue, item 17).
@Suite("HTTP API: Host header check")
struct HostHeaderTests {
    @Test("a public DNS name in Host is refused with 403; IP literals, localhost and LAN names are served")
    func hostHeader() async throws {
        let app = NodeAPITests.app(FakeNode(), metrics: NodeMetrics(registry: PrometheusCollectorRegistry()))
        try await app.test(.router) { client in
            for host in ["evil.example", "attacker.com:8338", "127.0.0.1.nip.io"] {
                try await client.execute(uri: "/api/v1/miners", method: .get, headers: [HTTPField.Name("Host")!: host]) { response in
                    #expect(response.status == .forbidden, "\(host)")
                }
            }
            for host in ["127.0.0.1:8338", "localhost:8338", "[::1]:8338", "192.168.1.20", "mynode:8338", "mynode.local"] {
                try await client.execute(uri: "/api/v1/status", method: .get, headers: [HTTPField.Name("Host")!: host]) { response in
                    #expect(response.status == .ok, "\(host)")
                }
            }
        }
    }
}
