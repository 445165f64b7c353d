/// The start-up replay progress line, e.g.
/// `replaying sharechain: 512,000/1,000,000 shares (51%), 480,000 shares/s, ETA 1 s`.
/// Pure formatting: the caller measures elapsed time.
public struct ReplayProgress: Sendable, Hashable, CustomStringConvertible {
    /// Records replayed so far.
    public var done: Int
    /// Records expected in total.
    public var total: Int
    /// Time since the replay started, in nanoseconds.
    public var elapsedNanoseconds: UInt64

    /// A progress value; `done` above `total` is shown as `total` done.
    public init(done: Int, total: Int, elapsedNanoseconds: UInt64) {
        self.done = done
        self.total = total
        self.elapsedNanoseconds = elapsedNanoseconds
    }

    /// Records per second so far, or nil before any time or record has passed.
    public var rate: Int? {
        guard elapsedNanoseconds > 0, done > 0 else { return nil }
        return Int((Double(done) * 1e9 / Double(elapsedNanoseconds)).rounded())  // display only
    }

    /// The line to print or log. Before a rate is known it ends after the percentage.
    public var description: String {
        let total = max(total, done)
        let percent = total == 0 ? 100 : done * 100 / total
        var line = "replaying sharechain: \(Self.grouped(done))/\(Self.grouped(total)) shares (\(percent)%)"
        if let rate {
            line += ", \(Self.grouped(rate)) shares/s"
            if rate > 0 { line += ", ETA " + Self.duration(seconds: (total - done + rate / 2) / rate) }
        }
        return line
    }

    /// `n` with commas between groups of three digits.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// `42 s`, `3 min 5 s`, `2 h 7 min`.
    static func duration(seconds: Int) -> String {
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min \(seconds % 60) s" }
        return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
    }
}
