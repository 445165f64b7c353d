import BitcoinPrimitives

/// The tree of known shares: every branch, with cumulative work, for fork choice.
public struct ChainIndex: Sendable {
    private(set) var entries: [ShareHash: ChainEntry] = [:]
    /// Hashes by height, for pruning in height order.
    private var byHeight: [UInt32: [ShareHash]] = [:]
    /// The lowest height still indexed.
    public private(set) var lowestHeight: UInt32 = 0

    public init() {}

    public var count: Int { entries.count }

    public subscript(hash: ShareHash) -> ChainEntry? { entries[hash] }

    public func contains(_ hash: ShareHash) -> Bool { entries[hash] != nil }

    /// Adds an entry whose parent is indexed (or that starts a chain).
    mutating func insert(_ entry: ChainEntry) {
        if entries.isEmpty || entry.height < lowestHeight { lowestHeight = entry.height }
        entries[entry.hash] = entry
        byHeight[entry.height, default: []].append(entry.hash)
    }

    /// The ancestor of `hash` at `height` (itself when heights match), or nil when
    /// the chain below it is not indexed.
    public func ancestor(of hash: ShareHash, atHeight height: UInt32) -> ChainEntry? {
        guard var e = entries[hash], e.height >= height else { return nil }
        while e.height > height {
            guard let p = entries[e.summary.previousShare] else { return nil }
            e = p
        }
        return e
    }

    /// The last common ancestor of two indexed shares, or nil when their chains
    /// do not meet inside the index.
    public func commonAncestor(_ a: ShareHash, _ b: ShareHash) -> ChainEntry? {
        guard var x = entries[a], var y = entries[b] else { return nil }
        while x.height > y.height { guard let p = entries[x.summary.previousShare] else { return nil }; x = p }
        while y.height > x.height { guard let p = entries[y.summary.previousShare] else { return nil }; y = p }
        while x.hash != y.hash {
            guard let px = entries[x.summary.previousShare], let py = entries[y.summary.previousShare] else { return nil }
            x = px
            y = py
        }
        return x
    }

    /// Up to `count` entries ending at `hash`, newest first.
    public func ancestors(of hash: ShareHash, count: Int) -> [ChainEntry] {
        var out: [ChainEntry] = []
        var cursor = entries[hash]
        while let e = cursor, out.count < count {
            out.append(e)
            cursor = entries[e.summary.previousShare]
        }
        return out
    }

    /// Removes every entry below `height`; returns how many were removed.
    @discardableResult
    mutating func prune(belowHeight height: UInt32) -> Int {
        guard height > lowestHeight else { return 0 }
        var removed = 0
        for h in lowestHeight..<height {
            guard let hashes = byHeight.removeValue(forKey: h) else { continue }
            for hash in hashes where entries.removeValue(forKey: hash) != nil { removed += 1 }
        }
        lowestHeight = height
        return removed
    }
}
