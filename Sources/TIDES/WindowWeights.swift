import BitcoinPrimitives

/// The credited work of every payout script in a TIDES window (Docs/TIDES.md §1, steps 1–3).
///
/// Payees are sorted by script bytes ascending and every weight is positive. Stored as
/// columns — ids into a shared script table (the window's interned scripts, one reference
/// however many payees) and the works — so computing weights for every validated share
/// copies no script; `entries` builds the row form when read.
public struct WindowWeights: Sendable, Equatable {
    /// One payee and its credited work `Wp`.
    public struct Entry: Sendable, Equatable {
        public var script: Script
        public var work: UInt256
        public init(script: Script, work: UInt256) { self.script = script; self.work = work }
    }

    /// The scripts `ids` index (may hold scripts that are not payees).
    let scriptTable: [Script]
    /// Per payee in script order: its script's index in `scriptTable`.
    let ids: [UInt32]
    /// Per payee in script order: its credited work `Wp`.
    let works: [UInt256]
    /// `W`, the sum of all credited work (never more than the window capacity).
    public let total: UInt256

    /// Payees, sorted by script bytes ascending.
    public var entries: [Entry] {
        (0..<ids.count).map { Entry(script: scriptTable[Int(ids[$0])], work: works[$0]) }
    }

    /// Number of payees.
    public var count: Int { ids.count }
    /// The script of payee `i` (script order).
    public func script(at i: Int) -> Script { scriptTable[Int(ids[i])] }
    /// The credited work of payee `i` (script order).
    public func work(at i: Int) -> UInt256 { works[i] }
    /// Serialized size of payee `i`'s script.
    func scriptSize(at i: Int) -> Int { scriptTable[Int(ids[i])].bytes.count }

    /// Builds weights from per-script sums; sorts them and drops zero weights.
    public init(unsorted: [Entry]) {
        var kept = unsorted.filter { !$0.work.isZero }
        kept.sort { $0.script < $1.script }
        self.init(sortedNonZero: kept)
    }

    /// Entries already sorted by script bytes ascending, all with positive work.
    init(sortedNonZero entries: [Entry]) {
        var sum = UInt256.zero
        for e in entries { sum += e.work }
        self.init(scriptTable: entries.map(\.script), ids: (0..<entries.count).map { UInt32($0) },
                  works: entries.map(\.work), total: sum)
    }

    /// Columns already in script order, all works positive, `total` their sum.
    init(scriptTable: [Script], ids: [UInt32], works: [UInt256], total: UInt256) {
        self.scriptTable = scriptTable
        self.ids = ids
        self.works = works
        self.total = total
    }

    public static func == (a: WindowWeights, b: WindowWeights) -> Bool {
        guard a.total == b.total, a.count == b.count, a.works == b.works else { return false }
        for i in 0..<a.count where a.scriptTable[Int(a.ids[i])] != b.scriptTable[Int(b.ids[i])] { return false }
        return true
    }
}

/// A share as TIDES sees it: who it pays and how much work it proves.
public struct TidesShare: Sendable, Hashable {
    /// The payout script of the miner who found the share.
    public var script: Script
    /// `work(T)` of the share's declared target.
    public var work: UInt256

    public init(script: Script, work: UInt256) { self.script = script; self.work = work }

    /// A share with the work of a compact target.
    public init(script: Script, bits: CompactTarget) throws(CompactTarget.DecodeError) {
        self.init(script: script, work: try Work.of(bits: bits))
    }
}

extension Tides {
    /// The window capacity `Z = multiplier × work(N)`.
    public static func windowCapacity(networkTarget: UInt256, multiplier: UInt64) throws(TidesError) -> UInt256 {
        guard multiplier > 0 else { throw .zeroWindowMultiplier }
        let (z, overflow) = Work.of(target: networkTarget).multipliedReportingOverflow(by: UInt256(multiplier))
        if overflow { throw .windowCapacityOverflow }
        return z
    }

    /// Steps 1–3 by direct walk over the shares, newest first: the reference
    /// definition that the incremental `TidesWindow` must always equal.
    public static func windowWeights(
        capacity: UInt256, sharesNewestFirst shares: some Sequence<TidesShare>
    ) throws(TidesError) -> WindowWeights {
        var credited = UInt256.zero
        var perScript: [Script: UInt256] = [:]
        var any = false
        for share in shares {
            any = true
            if credited >= capacity { break }
            let room = capacity - credited
            let credit = Swift.min(share.work, room)
            perScript[share.script, default: .zero] += credit
            credited += credit
        }
        guard any else { throw .noShares }
        return WindowWeights(unsorted: perScript.map { WindowWeights.Entry(script: $0.key, work: $0.value) })
    }
}

/// Namespace of the TIDES payout rule.
public enum Tides {}
