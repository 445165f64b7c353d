import Sharechain

/// The best chain as an array by height, kept in step with the tip so that
/// locators and `sharehashes` answers cost O(answer), not O(chain).
struct BestChainPath: Sendable {
    /// Height of `hashes[0]`.
    private(set) var base: UInt32 = 0
    private(set) var hashes: [ShareHash] = []

    var tipHeight: UInt32? { hashes.isEmpty ? nil : base + UInt32(hashes.count - 1) }

    func hash(atHeight h: UInt32) -> ShareHash? {
        guard h >= base, Int(h - base) < hashes.count else { return nil }
        return hashes[Int(h - base)]
    }

    func contains(_ hash: ShareHash, height: UInt32) -> Bool { self.hash(atHeight: height) == hash }

    /// Moves the path to end at `tip` (walks back only to the fork point).
    mutating func move(to tip: ShareHash, in index: ChainIndex) {
        var branch: [ChainEntry] = []
        var cursor = index[tip]
        while let e = cursor, !contains(e.hash, height: e.height) {
            branch.append(e)
            cursor = index[e.summary.previousShare]
        }
        if let fork = cursor {
            hashes.removeSubrange(Int(fork.height - base + 1)...)
        } else {
            hashes = []
            base = branch.last?.height ?? 0
        }
        hashes.append(contentsOf: branch.reversed().map(\.hash))
    }

    /// Forgets heights below `height` (after pruning).
    mutating func prune(belowHeight height: UInt32) {
        guard height > base else { return }
        hashes.removeFirst(min(hashes.count, Int(height - base)))
        base = height
    }

    /// Tip, tip−1 … tip−9, then doubling steps back, then the oldest retained.
    func locator() -> [ShareHash] {
        guard !hashes.isEmpty else { return [] }
        var out: [ShareHash] = []
        var i = hashes.count - 1
        var step = 1
        while i > 0 && out.count < 63 {
            out.append(hashes[i])
            if out.count >= 10 { step *= 2 }
            i -= step
        }
        out.append(hashes[0])
        return out
    }
}
