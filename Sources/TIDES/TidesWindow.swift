import BitcoinPrimitives

/// An incrementally maintained TIDES window over the active sharechain.
///
/// The window keeps the chain's shares oldest → newest (as compact entries: work
/// and an interned script id) and, for the shares inside the window, the sum of
/// full work per payout script. The oldest share in the window is pro-rated at
/// read time by subtracting the excess `total − Z` from its script's sum, so:
///
/// - appending a tip share is O(1) amortized (each share enters and leaves the
///   window once);
/// - rolling back the tip (a reorg) re-extends the tail from retained history,
///   O(shares that re-enter), never a rebuild;
/// - `weights()` is O(payees log payees), independent of the number of shares.
///
/// The window must equal `Tides.windowWeights(capacity:sharesNewestFirst:)` over
/// the same retained chain at all times; tests check that against the walk.
public struct TidesWindow: Sendable {
    /// A share in compact form (40 bytes: 32 work + 4 script id, aligned).
    @usableFromInline
    struct Entry: Sendable {
        var work: UInt256
        var scriptID: UInt32
    }

    // Retained chain: entries[head...] oldest → newest. Entries before `tail`
    // are retained history outside the window.
    private var entries: [Entry] = []
    private var head = 0
    /// Index of the oldest share inside the window; `entries.count` when empty.
    private var tail = 0

    /// Sum of full work of the shares in the window.
    private var total = UInt256.zero
    /// Window capacity `Z`.
    public private(set) var capacity: UInt256

    // Per script id: summed full work and number of window shares.
    private var scriptWork: [UInt256] = []
    private var scriptShares: [UInt32] = []
    private var scripts = ScriptInterner()
    /// Per script id: the first 8 bytes big-endian, zero-padded (a sort key).
    private var scriptKeys: [UInt64] = []
    /// Ids of the scripts with shares inside the window, kept sorted by script bytes
    /// (`precedes`): a payee enters or leaves with one binary search and a short move, so
    /// `weights()` reads the payees in order without sorting them.
    private var activeScripts: [UInt32] = []

    /// An empty window of capacity `Z`.
    public init(capacity: UInt256) {
        precondition(!capacity.isZero, "window capacity must be positive")
        self.capacity = capacity
    }

    /// Number of shares retained (inside and before the window).
    public var retainedCount: Int { entries.count - head }
    /// Number of shares inside the window (the oldest one possibly pro-rated).
    public var windowShareCount: Int { entries.count - tail }
    /// Number of distinct payout scripts inside the window.
    public var payeeCount: Int { activeScripts.count }
    /// `W`: the credited work of the window (`min(total, Z)`).
    public var creditedWork: UInt256 { Swift.min(total, capacity) }

    // MARK: Mutation

    /// Appends a new tip share and drops shares that fall out of the window.
    public mutating func append(_ share: TidesShare) {
        append(work: share.work, scriptID: intern(share.script))
    }

    /// Appends a new tip share whose script id came from `scriptID(for:)`.
    /// Faster than `append(_:)` when the caller keeps ids (replay, benchmarks).
    public mutating func append(work: UInt256, scriptID: UInt32) {
        precondition(Int(scriptID) < scripts.count, "unknown script id")
        precondition(!work.isZero, "a share's work is at least 1")
        entries.append(Entry(work: work, scriptID: scriptID))
        include(entries.count - 1)
        shrinkTail()
    }

    /// Removes the tip share (the newest) and lets older retained shares back in.
    /// Returns false when there is nothing to roll back.
    @discardableResult
    public mutating func rollbackTip() -> Bool {
        guard entries.count > head else { return false }
        // The tip is always inside the window. If it was the only window share,
        // `tail` now equals `entries.count` (empty) and growTail refills.
        exclude(entries.count - 1)
        entries.removeLast()
        growTail()
        return true
    }

    /// Changes `Z` (a new network target) and moves the tail to match.
    public mutating func setCapacity(_ newCapacity: UInt256) {
        precondition(!newCapacity.isZero, "window capacity must be positive")
        capacity = newCapacity
        shrinkTail()
        growTail()
    }

    /// Forgets retained shares older than the window, keeping at most `extra` of
    /// them (for reorgs and capacity growth). Amortized O(1) per share dropped.
    public mutating func pruneHistory(keepingOutsideWindow extra: Int) {
        let newHead = Swift.max(head, tail - extra)
        guard newHead > head else { return }
        head = newHead
        if head > 1024 && head * 2 > entries.count {
            entries.removeFirst(head)
            tail -= head
            head = 0
        }
    }

    /// The interned id of a script (created on first use).
    public mutating func scriptID(for script: Script) -> UInt32 { intern(script) }

    // MARK: Reading

    /// Credited work per payee (Docs/TIDES.md §1, steps 1–3), O(payees): the payees are
    /// kept in script order as they enter and leave, so nothing is sorted here.
    public func weights() -> WindowWeights {
        let n = activeScripts.count
        let tailScript: UInt32? = tail < entries.count ? entries[tail].scriptID : nil
        let excess = total > capacity ? total - capacity : UInt256.zero
        let works = [UInt256](unsafeUninitializedCapacity: n) { buffer, count in
            for (k, id) in activeScripts.enumerated() {
                var w = scriptWork[Int(id)]
                if id == tailScript { w -= excess }  // positive: the excess is below the tail's work
                buffer.initializeElement(at: k, to: w)
            }
            count = n
        }
        // The credited works sum to the window's full work less the tail's excess: min(total, Z).
        return WindowWeights(scriptTable: scripts.scripts, ids: activeScripts, works: works, total: total - excess)
    }

    /// The split for a hypothetical new tip share (the share being mined): appends
    /// it, computes, and rolls it back, leaving the window unchanged.
    public mutating func weights(withTentativeTip share: TidesShare) -> WindowWeights {
        append(share)
        defer { rollbackTip() }
        return weights()
    }

    // MARK: Internals

    private mutating func intern(_ script: Script) -> UInt32 {
        let id = scripts.id(for: script)
        if Int(id) == scriptKeys.count {
            // First use: the per-id columns grow with the table.
            var key: UInt64 = 0
            for i in 0..<8 { key = key << 8 | UInt64(i < script.bytes.count ? script.bytes[i] : 0) }
            scriptKeys.append(key)
            scriptWork.append(.zero)
            scriptShares.append(0)
        }
        return id
    }

    private mutating func include(_ index: Int) {
        let e = entries[index]
        total += e.work
        let id = Int(e.scriptID)
        scriptWork[id] += e.work
        if scriptShares[id] == 0 { activeScripts.insert(e.scriptID, at: activePosition(of: e.scriptID)) }
        scriptShares[id] += 1
    }

    private mutating func exclude(_ index: Int) {
        let e = entries[index]
        total -= e.work
        let id = Int(e.scriptID)
        scriptWork[id] -= e.work
        scriptShares[id] -= 1
        if scriptShares[id] == 0 { activeScripts.remove(at: activePosition(of: e.scriptID)) }
    }

    /// Whether script `a` sorts before script `b` (bytes ascending). Cached 8-byte prefixes
    /// (zero-padded, big-endian) decide most comparisons; equal prefixes fall back to the
    /// bytes. Scripts are interned, so this is a strict total order on ids.
    private func precedes(_ a: UInt32, _ b: UInt32) -> Bool {
        let ka = scriptKeys[Int(a)], kb = scriptKeys[Int(b)]
        return ka != kb ? ka < kb : scripts[a] < scripts[b]
    }

    /// Where `id` is, or belongs, in `activeScripts` (the first position not before it).
    private func activePosition(of id: UInt32) -> Int {
        var low = 0, high = activeScripts.count
        while low < high {
            let mid = (low + high) / 2
            if precedes(activeScripts[mid], id) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Drops the oldest window share while the shares newer than it already fill `Z`.
    private mutating func shrinkTail() {
        while tail < entries.count - 1 && total - entries[tail].work >= capacity {
            exclude(tail)
            tail += 1
        }
    }

    /// Lets older retained shares in while the window holds less than `Z`.
    private mutating func growTail() {
        while tail > head && total < capacity {
            tail -= 1
            include(tail)
        }
    }
}
