import PayoutSimulation

/// SVG charts for `tidepool simulate` (plain SVG 1.1, no scripts, no external fonts).
public enum SimulationCharts {
    /// One line per series over a shared x axis.
    public struct Series: Sendable {
        public var label: String
        public var points: [(x: Double, y: Double)]
        public var color: String
        public var dashed: Bool
        public init(label: String, points: [(x: Double, y: Double)], color: String, dashed: Bool = false) {
            self.label = label; self.points = points; self.color = color; self.dashed = dashed
        }
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"]

    /// A line chart; `yRange` clips like Rubin's 0.8–1.2 axis.
    public static func lines(title: String, xLabel: String, yLabel: String, series: [Series],
                             yRange: (Double, Double)? = nil, legend: [(String, String)] = []) -> String {
        let w = 900.0, h = 520.0, left = 80.0, right = 20.0, top = 40.0, bottom = 60.0
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
        let x0 = xs.min() ?? 0, x1 = Swift.max(xs.max() ?? 1, x0 + 1e-9)
        let (y0, y1) = yRange ?? ((ys.min() ?? 0), Swift.max(ys.max() ?? 1, (ys.min() ?? 0) + 1e-9))
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (w - left - right) }
        func py(_ y: Double) -> Double { top + (1 - (Swift.min(Swift.max(y, y0), y1) - y0) / (y1 - y0)) * (h - top - bottom) }
        var s = header(w, h, title)
        s += axes(left: left, top: top, width: w - left - right, height: h - top - bottom)
        for k in 0...4 {
            let y = y0 + (y1 - y0) * Double(k) / 4, x = x0 + (x1 - x0) * Double(k) / 4
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\" font-size=\"12\">\(label(y))</text>\n"
            s += "<text x=\"\(f(px(x)))\" y=\"\(f(h - bottom + 18))\" text-anchor=\"middle\" font-size=\"12\">\(label(x))</text>\n"
        }
        s += "<text x=\"\(f((left + w - right) / 2))\" y=\"\(f(h - 12))\" text-anchor=\"middle\" font-size=\"14\">\(escape(xLabel))</text>\n"
        s += "<text x=\"18\" y=\"\(f((top + h - bottom) / 2))\" text-anchor=\"middle\" font-size=\"14\" transform=\"rotate(-90 18 \(f((top + h - bottom) / 2)))\">\(escape(yLabel))</text>\n"
        for line in series where !line.points.isEmpty {
            let d = line.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.2\"\(line.dashed ? " stroke-dasharray=\"4 3\"" : "") points=\"\(d)\"><title>\(escape(line.label))</title></polyline>\n"
        }
        for (i, item) in legend.enumerated() {
            let y = top + 14 + Double(i) * 18
            s += "<rect x=\"\(f(w - right - 230))\" y=\"\(f(y - 10))\" width=\"12\" height=\"12\" fill=\"\(item.1)\"/>"
            s += "<text x=\"\(f(w - right - 212))\" y=\"\(f(y))\" font-size=\"12\">\(escape(item.0))</text>\n"
        }
        return s + "</svg>\n"
    }

    /// Grouped histogram: for each group, the fraction of values in each bin.
    public static func histogram(title: String, xLabel: String, groups: [(label: String, values: [Double])],
                                 range: (Double, Double), bins: Int = 40) -> String {
        let w = 900.0, h = 520.0, left = 80.0, right = 20.0, top = 40.0, bottom = 60.0
        let width = (range.1 - range.0) / Double(bins)
        let counts = groups.map { g -> [Double] in
            var c = Array(repeating: 0.0, count: bins)
            for v in g.values { c[Swift.min(bins - 1, Swift.max(0, Int((v - range.0) / width)))] += 1 }
            return c.map { $0 / Double(Swift.max(1, g.values.count)) }
        }
        let ymax = Swift.max(counts.flatMap { $0 }.max() ?? 1, 1e-9)
        var s = header(w, h, title)
        s += axes(left: left, top: top, width: w - left - right, height: h - top - bottom)
        let plotW = w - left - right, plotH = h - top - bottom
        let barW = plotW / Double(bins) / Double(Swift.max(1, groups.count))
        for (g, c) in counts.enumerated() {
            for (b, v) in c.enumerated() where v > 0 {
                let x = left + Double(b) * plotW / Double(bins) + Double(g) * barW
                let bh = v / ymax * plotH
                s += "<rect x=\"\(f(x))\" y=\"\(f(top + plotH - bh))\" width=\"\(f(barW))\" height=\"\(f(bh))\" fill=\"\(palette[g % palette.count])\"/>\n"
            }
            let y = top + 14 + Double(g) * 18
            s += "<rect x=\"\(f(w - right - 200))\" y=\"\(f(y - 10))\" width=\"12\" height=\"12\" fill=\"\(palette[g % palette.count])\"/>"
            s += "<text x=\"\(f(w - right - 182))\" y=\"\(f(y))\" font-size=\"12\">\(escape(groups[g].label))</text>\n"
        }
        for k in 0...4 {
            let x = range.0 + (range.1 - range.0) * Double(k) / 4
            s += "<text x=\"\(f(left + plotW * Double(k) / 4))\" y=\"\(f(h - bottom + 18))\" text-anchor=\"middle\" font-size=\"12\">\(label(x))</text>\n"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(top + plotH * (1 - Double(k) / 4) + 4))\" text-anchor=\"end\" font-size=\"12\">\(label(ymax * Double(k) / 4))</text>\n"
        }
        s += "<text x=\"\(f((left + w - right) / 2))\" y=\"\(f(h - 12))\" text-anchor=\"middle\" font-size=\"14\">\(escape(xLabel))</text>\n"
        return s + "</svg>\n"
    }

    /// Cumulative earnings over fair value so far, per tracked miner and scheme (like Rubin's figure).
    public static func cumulative(_ r: SimulationResult, schemes kinds: [SchemeKind]) -> String {
        var series: [Series] = []
        var legend: [(String, String)] = []
        for (c, kind) in kinds.enumerated() {
            guard let k = r.schemes.firstIndex(where: { $0.kind == kind }) else { continue }
            let color = palette[c % palette.count]
            legend.append((kind.rawValue, color))
            for (t, i) in r.trackedMiners.enumerated() {
                let pts = r.sampleBlocks.indices.map { j -> (x: Double, y: Double) in
                    let fair = r.reward * r.cumulativeWork[t][j] / (r.networkDifficulty * 4_295_032_833.0)
                    return (Double(r.sampleBlocks[j]), fair > 0 ? r.schemes[k].cumulativeEarnings[t][j] / fair : 0)
                }
                series.append(Series(label: "\(kind.rawValue) miner #\(i)", points: pts, color: color, dashed: r.miners[i].spec.hopper))
            }
        }
        return lines(title: "Cumulative revenue / fair value for the work so far (tracked miners)", xLabel: "pool blocks",
                     yLabel: "R / E[R]", series: series, yRange: (0, 2), legend: legend)
    }

    /// Distribution of earnings / fair over miners, per scheme.
    public static func fairnessDistribution(_ r: SimulationResult) -> String {
        let honest = r.miners.indices.filter { !r.miners[$0].spec.hopper && r.miners[$0].fair > 0 }
        return histogram(title: "Payout distribution: earnings / fair value, over miners", xLabel: "earnings / fair",
                         groups: r.schemes.map { s in (s.kind.rawValue, honest.map { s.miners[$0].fairness }) }, range: (0, 3))
    }

    /// Rubin's figure: cumulative revenue / expected revenue, sharing miners −0.1 (black), solo +0.1 (red).
    public static func rubin(_ run: RubinReproduction.Run) -> String {
        let series = run.normalisedCumulative.indices.map { i in
            Series(label: run.sharing[i] ? "sharing" : "solo",
                   points: zip(run.sampleBlocks, run.normalisedCumulative[i]).map { (Double($0.0), $0.1 + (run.sharing[i] ? -0.1 : 0.1)) },
                   color: run.sharing[i] ? "#000000" : "#d62728")
        }
        return lines(title: "Rubin's sharing rule: sharing miners (black, −0.1) vs solo (red, +0.1), seed \(run.seed)",
                     xLabel: "blocks", yLabel: "R / max(E[R], ·), offset", series: series, yRange: (0.8, 1.2),
                     legend: [("sharing (offset −0.1)", "#000000"), ("solo (offset +0.1)", "#d62728")])
    }

    static func header(_ w: Double, _ h: Double, _ title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(w))\" height=\"\(f(h))\" viewBox=\"0 0 \(f(w)) \(f(h))\" font-family=\"sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
            + "<text x=\"\(f(w / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">\(escape(title))</text>\n"
    }

    static func axes(left: Double, top: Double, width: Double, height: Double) -> String {
        "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" stroke=\"#444\"/>\n"
    }

    static func f(_ x: Double) -> String { SimulationUnits.fixed(x, 1) }
    static func label(_ x: Double) -> String {
        let a = abs(x)
        if a >= 1e6 { return SimulationUnits.fixed(x / 1e6, 1) + "M" }
        if a >= 1e3 { return SimulationUnits.fixed(x / 1e3, 1) + "k" }
        return SimulationUnits.fixed(x, a < 10 ? 2 : 0)
    }
    static func escape(_ s: String) -> String {
        s.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;")
    }
}

extension String {
    func replacingAll(_ a: Character, _ b: String) -> String {
        var out = ""
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }
}
