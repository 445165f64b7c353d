import PayoutSimulation

/// Text for `tidepool simulate --reproduce` and `--my-hashrate`.
public enum SimulationReproductionReport {
    static let f = SimulationUnits.fixed

    /// The explainer's five examples beside its figures.
    public static func explainer() -> String {
        let a = ExplainerExamples.alice()
        var out = ["TIDES explainer (seed 004)",
                   "  Example 1 Alice: \(f(a.fraction * 100, 4))% of each block (explainer 20%), \(f(a.btcPerDay, 5)) BTC/day (explainer 0.44)"]
        for k in 2...5 {
            let r = ExplainerExamples.visitor(example: k)
            out.append("  \(r.label): R " + r.regions.map { f($0 / r.unit, 4) }.joined(separator: " / ")
                       + " = \(f(r.total / r.unit, 4)) \(r.unitName) (explainer \(r.explainerTotal)), \(f(r.satPerTHDay, 2)) sat per TH/s·day")
        }
        return out.joined(separator: "\n")
    }

    /// Rubin's comparison over `seeds` seeds.
    public static func rubin(_ s: RubinReproduction.Summary) -> String {
        let r = s.runs[0]
        return ["Rubin sharing vs solo (seed 000), \(s.runs.count) seeds",
                "  his printed statistic, sharing/solo: \(f(s.printedRatio.mean, 4)) ± \(f(s.printedRatio.halfWidth, 4)) (95% CI); first run \(f(r.printedSharing, 5)) vs \(f(r.printedSolo, 5))",
                "  normalised variance var(R/E[R]), sharing/solo: \(f(s.normalisedRatio.mean, 4)) ± \(f(s.normalisedRatio.halfWidth, 4))",
                "  sharing miners' variance / look-back model: \(f(s.sharingVsAnalytic.mean, 3)) ± \(f(s.sharingVsAnalytic.halfWidth, 3))"]
            .joined(separator: "\n")
    }

    /// Laurentia's claims.
    public static func laurentia(hop: [LaurentiaExperiments.HopResult], ramp: [LaurentiaExperiments.RampResult]) -> String {
        var out = ["Laurentia SPLNS claims (seed 003)", "  hopper earnings per share / honest (1 = hop-proof):"]
        for h in hop { out.append("    \(h.kind.rawValue): \(f(h.advantage, 3))") }
        out.append("  ramp-up, blocks of pool work to reach 50% / 90% of the steady reward (analytic):")
        for r in ramp {
            out.append("    \(r.kind.rawValue): \(f(r.toHalf ?? .nan, 2)) (\(f(LaurentiaExperiments.analyticTime(r.kind, level: 0.5), 2))) / "
                       + "\(f(r.toNinety ?? .nan, 2)) (\(f(LaurentiaExperiments.analyticTime(r.kind, level: 0.9), 2)))")
        }
        return out.joined(separator: "\n")
    }

    /// The home-miner answer.
    public static func homeMiner(_ a: HomeMiner.Answer, input: HomeMiner.Input) -> String {
        let day = 86_400.0
        func pct(_ x: Double) -> String {
            if x > 0.999 && x < 1 { return "100% − " + f((1 - x) * 100, 6) + "%" }
            return f(x * 100, x < 0.01 ? 3 : 1) + "%"
        }
        return ["Home miner \(SimulationUnits.format(hashrate: input.hashrate)) on a \(SimulationUnits.format(hashrate: input.network.hashrate)) network, "
                + "pool \(SimulationUnits.format(hashrate: input.poolHashrate)), \(f(input.shareInterval, 0)) s shares",
                "  expected payout: \(f(a.expectedPerDay, 1)) sat/day (solo and TIDES alike: both pay for work)",
                "  solo:  P(nothing in a week) \(pct(a.solo.nothingInWeek)), in a month \(pct(a.solo.nothingInMonth)); "
                + "expected time to the first block \(SimulationUnits.duration(seconds: a.solo.firstPayoutDays.map { $0 * day }))",
                "         (by hand: λ = 144 × h / H_net = \(f(144 * input.hashrate / input.network.hashrate, 8)) blocks/day; P = e^(−7λ), e^(−30λ); 1/λ days)",
                "  TIDES: one share every \(SimulationUnits.duration(seconds: a.daysPerShare * day)); a share stays in the window \(SimulationUnits.duration(seconds: a.windowDays * day)) "
                + "(\(f(a.poolBlocksPerDay * a.windowDays, 1)) pool blocks); one share in the window pays \(f(a.amountPerShareInWindow, 0)) sat per block "
                + (a.oneShareIsDirect ? "as its own output" : "through the lottery"),
                "         P(nothing in a week) \(pct(a.tides.nothingInWeek)), in a month \(pct(a.tides.nothingInMonth)); mean time to the first payout "
                + (a.tides.firstPayoutDays.map { SimulationUnits.duration(seconds: $0 * day) } ?? "beyond 20 y"),
                "         first coinbase output of its own: \(SimulationUnits.duration(seconds: a.firstDirectOutputDays.map { $0 * day })); "
                + "first lottery win: " + (a.firstLotteryWinDays == nil && a.firstDirectOutputDays != nil
                    ? "not needed (its own output comes first; later blocks keep paying it directly)"
                    : SimulationUnits.duration(seconds: a.firstLotteryWinDays.map { $0 * day }) + " (\"never\": not within 20 years in most trials)")]
            .joined(separator: "\n")
    }

    public static func homeMinerJSON(_ a: HomeMiner.Answer) -> String {
        func o(_ x: Double?) -> String { x.map { "\($0)" } ?? "null" }
        return "{\"expected_sat_per_day\":\(a.expectedPerDay),"
            + "\"solo\":{\"p_nothing_week\":\(a.solo.nothingInWeek),\"p_nothing_month\":\(a.solo.nothingInMonth),\"first_payout_days\":\(o(a.solo.firstPayoutDays))},"
            + "\"tides\":{\"p_nothing_week\":\(a.tides.nothingInWeek),\"p_nothing_month\":\(a.tides.nothingInMonth),\"first_payout_days\":\(o(a.tides.firstPayoutDays)),"
            + "\"first_direct_output_days\":\(o(a.firstDirectOutputDays)),\"first_lottery_win_days\":\(o(a.firstLotteryWinDays)),"
            + "\"days_per_share\":\(a.daysPerShare),\"window_days\":\(a.windowDays),\"amount_per_share_in_window\":\(a.amountPerShareInWindow),"
            + "\"one_share_is_direct\":\(a.oneShareIsDirect)}}"
    }
}
