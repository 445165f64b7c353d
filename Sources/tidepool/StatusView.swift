import Foundation
import JSON

/// The text `tidepool status` prints, from the JSON of `/api/v1/status`, `/api/v1/stats`
/// and optionally `/api/v1/miners/ADDRESS` (Docs/HTTP-API.md). Pure.
enum StatusView {
    typealias Object = JSONValue

    /// `value` if it is an object (not null, absent or another kind).
    static func object(_ value: JSONValue?) -> Object? { value?.objectValue != nil ? value : nil }

    static func render(status: Object, stats: Object, miner: Object?) -> String {
        var lines: [String] = []
        let tip = object(status["tip"]).map { "share height \(int($0["height"]))" } ?? "empty sharechain"
        lines.append("Tidepool \(status["network"]?.stringValue ?? "?")\((status["synced"]?.boolValue ?? false) ? "" : " (syncing)") · \(tip) · \(int(status["peers"])) peers")
        lines.append("statistics cover \(int(stats["covered_minutes"])) min; \(int(stats["connected_workers"])) workers, \(int(stats["addresses"])) addresses")
        lines.append("")
        lines.append(rates("node miners", object(stats["node_miners"])))
        lines.append(rates("sharechain", object(stats["sharechain"])))
        lines.append(counts("last hour", object(object(stats["node_miners"])?["last_hour"])))
        if let next = object(stats["next_block"]) {
            let basis = (next["hashrate_basis"]?.stringValue).map { "at the \($0.replacingOccurrences(of: "_", with: " ")) rate" } ?? "no hash rate yet"
            lines.append("next block    \(duration(next["expected_seconds"]?.doubleValue)) (\(basis))")
        } else {
            lines.append("next block    no block template yet")
        }
        if let luck = object(stats["luck"]) {
            let round = object(luck["round"]).map { percent($0["effort_percent"]) } ?? "–"
            let summary = ["day", "week", "all"].map { "\($0) \(percent(object(luck[$0])?["effort_percent"]))" }
            lines.append("effort        round \(round) · \(summary.joined(separator: " · ")) (100 % = expected; below is lucky)")
            for b in (luck["blocks"]?.arrayValue ?? []).prefix(5) {
                lines.append("  block \(int(b["height"]))  \(String((b["hash"]?.stringValue ?? "").prefix(16)))…  effort \(percent(b["effort_percent"]))\((b["partial_round"]?.boolValue ?? false) ? " (partial round)" : "")")
            }
        }
        if let miner {
            lines.append("")
            lines.append("address \(miner["address"]?.stringValue ?? "?")")
            lines.append(rates("hash rate", object(miner["statistics"])))
            lines.append(counts("last hour", object(object(miner["statistics"])?["last_hour"])))
            if let p = object(miner["payout"]) {
                lines.append("if found now  \(btc(p["if_found_now"])) · expected value \(btc(p["expected_value"])) · window share \(String(format: "%.3f", (p["window_share"]?.doubleValue ?? 0) * 100)) %")
            } else {
                lines.append("if found now  no block template yet")
            }
            for w in miner["workers"]?.arrayValue ?? [] {
                let name = (w["worker"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 } ?? "(default)"
                lines.append("  \(name)\((w["connected"]?.boolValue ?? false) ? "" : " (offline)"): " + rates("", object(w["statistics"])).trimmingCharacters(in: .whitespaces))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func rates(_ label: String, _ series: Object?) -> String {
        let windows = (series?["hashrate"]?.arrayValue ?? []).map { w -> String in
            let error = (w["relative_error"]?.doubleValue).map { " ±\(Int(($0 * 100).rounded()))%" } ?? ""
            return "\(int(w["window_seconds"]) / 60) min \(rate(w["hashes_per_second"]?.doubleValue ?? 0))\(error)"
        }
        return label.padding(toLength: 14, withPad: " ", startingAt: 0) + windows.joined(separator: " · ")
    }

    static func counts(_ label: String, _ bucket: Object?) -> String {
        label.padding(toLength: 14, withPad: " ", startingAt: 0)
            + "\(int(bucket?["accepted"])) accepted, \(int(bucket?["stale"])) stale, \(int(bucket?["rejected"])) rejected"
    }

    /// Hashes per second with an SI prefix (display only).
    static func rate(_ h: Double) -> String {
        guard h > 0 else { return "0 H/s" }
        let units = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s", "ZH/s"]
        var v = h, i = 0
        while v >= 1000, i < units.count - 1 { v /= 1000; i += 1 }
        return String(format: v < 10 ? "%.2f %@" : v < 100 ? "%.1f %@" : "%.0f %@", v, units[i])
    }

    static func duration(_ s: Double?) -> String {
        guard let s else { return "unknown" }
        if s < 120 { return "\(Int(s.rounded())) s" }
        if s < 7200 { return "\(Int((s / 60).rounded())) min" }
        if s < 172_800 { return String(format: "%.1f h", s / 3600) }
        if s < 86_400 * 730 { return String(format: "%.1f days", s / 86_400) }
        return String(format: "%.2e years", s / 86_400 / 365.25)
    }

    static func percent(_ value: JSONValue?) -> String {
        value?.doubleValue.map { String(format: "%.1f %%", $0) } ?? "–"
    }

    static func btc(_ sats: JSONValue?) -> String {
        let s = int(sats)
        return "\(s / 100_000_000).\(String(format: "%08lld", Int64(s % 100_000_000))) BTC"
    }

    static func int(_ value: JSONValue?) -> Int {
        if let i = value?.integerValue { return Int(i) }
        guard let d = value?.doubleValue, d.isFinite, abs(d) < 9.0e18 else { return 0 }
        return Int(d)
    }
}
