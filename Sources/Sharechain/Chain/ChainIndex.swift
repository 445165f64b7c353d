import BitcoinPrimitives

import TIDES

/// The tree of known shares: every branch, with cumulative work, for fork choice.
///
/// Shares live in a flat array of compact nodes (168 bytes each) linked to their
/// parent by slot number, with payout scripts interned, so ancestor walks never
/// hash and a million shares cost about 200 MB rather than a dictionary of
/// full summaries. `ChainEntry` values are assembled on demand for callers.
public struct ChainIndex: Sendable {
    /// A share in compact form.
    struct Node: Sendable {
        var hash: ShareHash
        var previousShare: ShareHash
        var chainWork: UInt256
        var work: UInt256
        var timestamp: UInt64
        var sequence: UInt64
        var anchorTimestamp: UInt64
        /// Slot of the parent, or -1 when the parent is not indexed.
        var parent: Int32
        var height: UInt32
        var bits: CompactTarget
        var scriptID: UInt32
    }

    private(set) var nodes: [Node] = []
    private var slots: [ShareHash: Int32] = [:]
    /// Payout scripts by id (`Node.scriptID`).
    private(set) var scripts = ScriptInterner()
    /// The lowest height still indexed.
    public private(set) var lowestHeight: UInt32 = 0

    public init() {}

    /// Number of indexed shares.
    public var count: Int { slots.count }

    public func contains(_ hash: ShareHash) -> Bool { slots[hash] != nil }

    func slot(of hash: ShareHash) -> Int32? { slots[hash] }

    /// `slot(of:)`, trying `hint` first: a new share's parent is usually the best tip, and
    /// comparing its 32 bytes is cheaper than hashing them for the dictionary.
    func slot(of hash: ShareHash, hint: Int32?) -> Int32? {
        if let hint, hint >= 0, Int(hint) < nodes.count, nodes[Int(hint)].hash == hash { return hint }
        return slots[hash]
    }

    func work(at slot: Int32) -> UInt256 { nodes[Int(slot)].work }

    /// The full entry of an indexed share.
    public subscript(hash: ShareHash) -> ChainEntry? {
        guard let s = slots[hash] else { return nil }
        return entry(at: s)
    }

    func entry(at slot: Int32) -> ChainEntry {
        let n = nodes[Int(slot)]
        let summary = ShareSummary(hash: n.hash, previousShare: n.previousShare, height: n.height, bits: n.bits,
                                   timestamp: n.timestamp, payoutScript: scripts[n.scriptID], sequence: n.sequence)
        return ChainEntry(summary: summary, work: work(at: slot), chainWork: n.chainWork, anchorTimestamp: n.anchorTimestamp)
    }

    /// Interned id of a payout script.
    mutating func scriptID(for script: Script) -> UInt32 { scripts.id(for: script) }

    /// Adds a share; returns its slot. Traps when the share is already indexed.
    @discardableResult
    mutating func insert(_ summary: ShareSummary, parent: Int32, work: UInt256, chainWork: UInt256,
                         anchorTimestamp: UInt64) -> Int32 {
        if slots.isEmpty || summary.height < lowestHeight { lowestHeight = summary.height }
        let slot = Int32(nodes.count)
        // One hash of the share's hash both checks and inserts.
        let known = slots.updateValue(slot, forKey: summary.hash)
        precondition(known == nil, "share inserted twice")
        nodes.append(Node(hash: summary.hash, previousShare: summary.previousShare, chainWork: chainWork,
                          work: work, timestamp: summary.timestamp, sequence: summary.sequence, anchorTimestamp: anchorTimestamp,
                          parent: parent, height: summary.height, bits: summary.bits,
                          scriptID: scriptID(for: summary.payoutScript)))
        return slot
    }

    /// Reserves room for `count` more shares (replay knows the total).
    mutating func reserveCapacity(_ count: Int) {
        nodes.reserveCapacity(nodes.count + count)
        slots.reserveCapacity(slots.count + count)
    }

    // MARK: Walking

    func ancestorSlot(of slot: Int32, atHeight height: UInt32) -> Int32? {
        var s = slot
        guard nodes[Int(s)].height >= height else { return nil }
        while nodes[Int(s)].height > height {
            s = nodes[Int(s)].parent
            if s < 0 { return nil }
        }
        return s
    }

    func commonAncestorSlot(_ a: Int32, _ b: Int32) -> Int32? {
        var x = a, y = b
        while nodes[Int(x)].height > nodes[Int(y)].height { x = nodes[Int(x)].parent; if x < 0 { return nil } }
        while nodes[Int(y)].height > nodes[Int(x)].height { y = nodes[Int(y)].parent; if y < 0 { return nil } }
        while x != y {
            x = nodes[Int(x)].parent
            y = nodes[Int(y)].parent
            if x < 0 || y < 0 { return nil }
        }
        return x
    }

    /// The last common ancestor of slots `a` and `b`, walking no node below `lowest`:
    /// nil when the chains do not meet at or above that height (or not at all). Costs
    /// O(height(a) + height(b) − 2·lowest), whatever the chain's length.
    func commonAncestorSlot(_ a: Int32, _ b: Int32, notBelow lowest: UInt32) -> Int32? {
        var x = a, y = b
        func step(_ s: inout Int32) -> Bool {
            s = nodes[Int(s)].parent
            return s >= 0 && nodes[Int(s)].height >= lowest
        }
        guard nodes[Int(x)].height >= lowest, nodes[Int(y)].height >= lowest else { return nil }
        while nodes[Int(x)].height > nodes[Int(y)].height { guard step(&x) else { return nil } }
        while nodes[Int(y)].height > nodes[Int(x)].height { guard step(&y) else { return nil } }
        while x != y {
            guard step(&x), step(&y) else { return nil }
        }
        return x
    }

    /// The ancestor of `hash` at `height` (itself when heights match), or nil when
    /// the chain below it is not indexed.
    public func ancestor(of hash: ShareHash, atHeight height: UInt32) -> ChainEntry? {
        guard let s = slots[hash], let a = ancestorSlot(of: s, atHeight: height) else { return nil }
        return entry(at: a)
    }

    /// The last common ancestor of two indexed shares, or nil when their chains
    /// do not meet inside the index.
    public func commonAncestor(_ a: ShareHash, _ b: ShareHash) -> ChainEntry? {
        guard let x = slots[a], let y = slots[b], let c = commonAncestorSlot(x, y) else { return nil }
        return entry(at: c)
    }

    /// Up to `count` entries ending at `hash`, newest first.
    public func ancestors(of hash: ShareHash, count: Int) -> [ChainEntry] {
        var out: [ChainEntry] = []
        var s = slots[hash] ?? -1
        while s >= 0, out.count < count {
            out.append(entry(at: s))
            s = nodes[Int(s)].parent
        }
        return out
    }

    // MARK: Pruning

    /// Removes every entry below `height`; returns how many were removed.
    /// Rebuilds the node array (O(indexed shares)); callers prune in large steps.
    @discardableResult
    mutating func prune(belowHeight height: UInt32) -> Int {
        guard height > lowestHeight else { return 0 }
        var remap = [Int32](repeating: -1, count: nodes.count)
        var kept: [Node] = []
        kept.reserveCapacity(nodes.count)
        for (i, n) in nodes.enumerated() where n.height >= height {
            remap[i] = Int32(kept.count)
            kept.append(n)
        }
        let removed = nodes.count - kept.count
        for i in kept.indices {
            let p = kept[i].parent
            kept[i].parent = p >= 0 ? remap[Int(p)] : -1
        }
        var newSlots: [ShareHash: Int32] = [:]
        newSlots.reserveCapacity(kept.count)
        for (i, n) in kept.enumerated() { newSlots[n.hash] = Int32(i) }
        // Re-intern payout scripts so that the table holds only retained shares' scripts.
        let oldScripts = scripts
        scripts = ScriptInterner()
        for i in kept.indices { kept[i].scriptID = scriptID(for: oldScripts[kept[i].scriptID]) }
        nodes = kept
        slots = newSlots
        lowestHeight = height
        return removed
    }

    /// Number of distinct payout scripts interned (retained shares' scripts only).
    public var scriptCount: Int { scripts.count }
}
