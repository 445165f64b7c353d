import BitcoinPrimitives

/// How much of the sharechain a node keeps (Docs/PROTOCOL.md §10), measured in work.
///
/// Below the best tip the node keeps every share down to the fork depth N (rule 10b: no
/// share it considers forks deeper), and below that point `windowMultiple × Zref` more work,
/// where `Zref` is the largest TIDES window capacity `Z = 8 × work(Bitcoin target)` of any
/// share it has validated. Bitcoin's retarget moves the target by at most 4× (and rule 9b
/// binds every share's Bitcoin `bits` to Bitcoin's rules), so any share a node can still be
/// asked to validate — on the best chain or on a fork at most N deep — has a window that lies
/// entirely inside what every honest node retains. Pure: no clock, integers only.
public struct RetentionPolicy: Sendable, Hashable {
    /// Shares kept whole below the best tip (the fork depth N of §9).
    public var forkDepth: UInt32
    /// Windows of work kept below the fork point (Bitcoin's largest retarget step: 4).
    public var windowMultiple: UInt64
    /// Prune only when at least this many shares can go (amortizes the index rebuild).
    public var batchShares: UInt32

    /// The default windows of work kept below the fork depth.
    public static let defaultWindowMultiple: UInt64 = 4
    /// The default prune batch, in shares.
    public static let defaultBatchShares: UInt32 = 1_000

    /// A policy; `batchShares` defaults to 1,000 shares.
    public init(forkDepth: UInt32, windowMultiple: UInt64 = Self.defaultWindowMultiple, batchShares: UInt32 = Self.defaultBatchShares) {
        self.forkDepth = max(forkDepth, 11)  // the median-time-past rule reads 11 ancestors
        self.windowMultiple = max(windowMultiple, 1)
        self.batchShares = max(batchShares, 1)
    }
}

extension Sharechain {
    /// The height below which `policy` lets this chain prune, or nil when nothing (or less
    /// than a batch) can go. The share at the returned height is kept: it is the last one
    /// needed to fill `windowMultiple × referenceCapacity` of work below the share N below
    /// the best tip. Walks O(N + retained window shares) index entries.
    public func pruneHeight(policy: RetentionPolicy, referenceCapacity: UInt256) -> UInt32? {
        guard let bestSlot, !referenceCapacity.isZero else { return nil }
        let tipHeight = index.nodes[Int(bestSlot)].height
        guard tipHeight > policy.forkDepth,
              var s = index.ancestorSlot(of: bestSlot, atHeight: tipHeight - policy.forkDepth) else { return nil }
        let (need, overflow) = referenceCapacity.multipliedReportingOverflow(by: UInt256(policy.windowMultiple))
        guard !overflow else { return nil }
        var kept = UInt256.zero
        while true {
            kept += index.nodes[Int(s)].work
            if kept >= need { break }
            let parent = index.nodes[Int(s)].parent
            guard parent >= 0 else { return nil }  // not enough history yet
            s = parent
        }
        let height = index.nodes[Int(s)].height
        guard height >= index.lowestHeight &+ policy.batchShares else { return nil }
        return height
    }

    /// Retained shares and the work of the retained best chain (what status reports).
    public var retainedWork: UInt256 {
        guard let best else { return .zero }
        return best.chainWork - (root?.baseChainWork ?? .zero)
    }
}
