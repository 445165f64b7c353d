import PayoutSimulation

/// JSON and table renderings of a `SimulationResult` (snake_case keys, as the HTTP API).
public enum SimulationReport {
    static func num(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }
    static func opt(_ x: Double?) -> String { x.map(num) ?? "null" }

    /// Machine-readable: run summary, miners, and per scheme the summary and per-miner outcomes.
    public static func json(_ r: SimulationResult) -> String {
        var o = "{\"seed\":\(r.seed),\"blocks\":\(r.blocks),\"shares\":\(r.shares),\"duration_seconds\":\(num(r.duration)),"
        o += "\"expected_blocks\":\(num(r.expectedBlocks)),\"network_difficulty\":\(num(r.networkDifficulty)),"
        o += "\"share_difficulty\":\(num(r.shareDifficulty)),\"reward\":\(num(r.reward)),\"miners\":["
        o += r.miners.map { m in
            "{\"hashrate\":\(num(m.spec.hashrate)),\"joins\":\(num(m.spec.joins)),\"leaves\":\(opt(m.spec.leaves.isFinite ? m.spec.leaves : nil)),"
                + "\"hopper\":\(m.spec.hopper),\"shares\":\(m.shares),\"fair\":\(num(m.fair))}"
        }.joined(separator: ",")
        o += "],\"schemes\":["
        o += r.schemes.map { s in
            var t = "{\"scheme\":\"\(s.kind.rawValue)\",\"outputs_per_block\":\(num(s.outputsPerBlock)),"
            t += "\"max_outputs_per_block\":\(s.maxOutputsPerBlock),\"lottery_fraction\":\(num(s.lotteryFraction)),"
            t += "\"lottery_blocks\":\(s.lotteryBlocks),\"hopper_advantage\":\(opt(s.hopperAdvantage)),"
            t += "\"mean_fairness_error\":\(num(s.meanFairnessError)),\"mean_normalised_variance\":\(num(s.meanNormalisedVariance)),"
            t += "\"median_first_payout_seconds\":\(opt(s.medianFirstPayout)),\"never_paid_fraction\":\(num(s.neverPaidFraction)),\"miners\":["
            t += s.miners.map { m in
                var u = "{\"earnings\":\(num(m.earnings)),\"fairness\":\(num(m.fairness)),\"normalised_variance\":\(num(m.normalisedVariance)),"
                u += "\"paid_blocks\":\(m.paidBlocks),\"first_payout_seconds\":\(opt(m.firstPayout))"
                if s.kind == .tides {
                    u += ",\"direct_outputs\":\(m.directOutputs),\"lottery_wins\":\(m.lotteryWins),\"lottery_earnings\":\(num(m.lotteryEarnings)),"
                    u += "\"first_direct_output_seconds\":\(opt(m.firstDirectOutput)),\"first_lottery_win_seconds\":\(opt(m.firstLotteryWin))"
                }
                return u + "}"
            }.joined(separator: ",")
            return t + "]}"
        }.joined(separator: ",")
        return o + "]}"
    }

    /// For people: one summary row per scheme, then the tracked miners under each scheme.
    public static func table(_ r: SimulationResult) -> String {
        let f = SimulationUnits.fixed
        var lines: [String] = []
        lines.append("\(r.blocks) pool blocks (luck \(f(Double(r.blocks) / r.expectedBlocks, 3))), \(r.shares) shares, "
                     + "\(SimulationUnits.duration(seconds: r.duration)) simulated, \(r.miners.count) miners, seed \(r.seed)")
        lines.append("")
        lines.append(pad(["scheme", "|fair−1|", "norm. var", "median 1st pay", "never paid", "hopper ×", "outputs/blk", "max", "lottery"]))
        for s in r.schemes {
            lines.append(pad([s.kind.rawValue, f(s.meanFairnessError, 4), f(s.meanNormalisedVariance, 3),
                              SimulationUnits.duration(seconds: s.medianFirstPayout), f(s.neverPaidFraction * 100, 1) + "%",
                              s.hopperAdvantage.map { f($0, 3) } ?? "-", f(s.outputsPerBlock, 1), "\(s.maxOutputsPerBlock)",
                              f(s.lotteryFraction * 100, 2) + "%"]))
        }
        lines.append("")
        lines.append("tracked miners: earnings / fair (normalised variance; first payout)")
        lines.append(pad(["miner", "hashrate", "kind"] + r.schemes.map(\.kind.rawValue)))
        for i in r.trackedMiners {
            let m = r.miners[i]
            let kind = m.spec.hopper ? "hopper" : (m.spec.joins > 0 || m.spec.leaves.isFinite ? "churn" : "honest")
            lines.append(pad(["#\(i)", SimulationUnits.format(hashrate: m.spec.hashrate), kind] + r.schemes.map { s in
                let o = s.miners[i]
                return "\(f(o.fairness, 3)) (\(f(o.normalisedVariance, 1)); \(SimulationUnits.duration(seconds: o.firstPayout)))"
            }))
        }
        return lines.joined(separator: "\n")
    }

    static func pad(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in
            let width = i == 0 ? 13 : (i < 3 ? 12 : 16)
            return c.count >= width ? c + " " : c + String(repeating: " ", count: width - c.count)
        }.joined()
    }
}
