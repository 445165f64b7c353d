/// Parsing and printing of the quantities `tidepool simulate` takes and shows.
public enum SimulationUnits {
    /// Parses a hash rate such as `1.2TH/s`, `700EH/s`, `350P`, `5e12` (hashes per second).
    public static func hashrate(_ text: String) -> Double? {
        var s = text.trimmingWhitespace.uppercased()
        if s.hasSuffix("/S") { s.removeLast(2) }
        if s.hasSuffix("H") { s.removeLast() }
        let prefixes: [Character: Double] = ["K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18, "Z": 1e21]
        var scale = 1.0
        if let last = s.last, let p = prefixes[last] { scale = p; s.removeLast() }
        guard let v = Double(s.trimmingWhitespace), v > 0, v.isFinite else { return nil }
        return v * scale
    }

    /// `1.20 TH/s`-style text.
    public static func format(hashrate h: Double) -> String {
        let units: [(Double, String)] = [(1e21, "ZH/s"), (1e18, "EH/s"), (1e15, "PH/s"), (1e12, "TH/s"), (1e9, "GH/s"), (1e6, "MH/s"), (1e3, "kH/s")]
        for (scale, name) in units where h >= scale { return "\(fixed(h / scale, 2)) \(name)" }
        return "\(fixed(h, 0)) H/s"
    }

    /// Fixed-point text with `digits` decimals (no Foundation formatting).
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (abs(x) * scale).rounded()
        let whole = (r / scale).rounded(.down)
        var frac = String(Int64(r - whole * scale))
        while frac.count < digits { frac = "0" + frac }
        let sign = x < 0 && r > 0 ? "-" : ""
        return digits == 0 ? "\(sign)\(Int64(whole))" : "\(sign)\(Int64(whole)).\(frac)"
    }

    /// A duration in the largest sensible unit.
    public static func duration(seconds s: Double?) -> String {
        guard let s else { return "never" }
        if s >= 365 * 86_400 { return "\(fixed(s / (365 * 86_400), 1)) y" }
        if s >= 86_400 { return "\(fixed(s / 86_400, 1)) d" }
        if s >= 3_600 { return "\(fixed(s / 3_600, 1)) h" }
        return "\(fixed(s / 60, 1)) min"
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
