import BitcoinPrimitives

/// The credited work of every payout script in a TIDES window (Docs/TIDES.md §1, steps 1–3).
///
/// `entries` are sorted by script bytes ascending and every weight is positive.
public struct WindowWeights: Sendable, Equatable {
    /// One payee and its credited work `Wp`.
    public struct Entry: Sendable, Equatable {
        public var script: Script
        public var work: UInt256
        public init(script: Script, work: UInt256) { self.script = script; self.work = work }
    }

    /// Payees, sorted by script bytes ascending.
    public private(set) var entries: [Entry]
    /// `W`, the sum of all credited work (never more than the window capacity).
    public private(set) var total: UInt256

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
        self.entries = entries
        self.total = sum
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
