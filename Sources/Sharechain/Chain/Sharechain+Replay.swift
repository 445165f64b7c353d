extension Sharechain {
    /// Rebuilds the index, fork choice and TIDES window from a store's summaries
    /// (no re-validation: only validated shares are ever stored). `rootAnchorTimestamp`
    /// is the saved ASERT anchor for a store whose first shares were pruned.
    /// `progress` receives (done, total) from the store.
    public static func replay(
        parameters: SharechainParameters, from store: some ShareStore, rootAnchorTimestamp: UInt64?,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Sharechain {
        var chain = Sharechain(parameters: parameters)
        chain.reserveCapacity(try store.count())
        try store.forEachSummary(progress: progress) { summary in
            if chain.index.contains(summary.hash) { return }
            chain.insert(summary, rootAnchorTimestamp: rootAnchorTimestamp)
        }
        try chain.finishReplay(from: store)
        return chain
    }

    /// Rebuilds the chain from a store that may have been pruned: its `PruneState` gives the
    /// root (anchor and base chain work) of the oldest retained shares; summaries below the
    /// root's height (left by a prune interrupted mid-way) are skipped. A store never pruned
    /// replays as `replay(parameters:from:rootAnchorTimestamp:progress:)` with nil.
    public static func replay(
        parameters: SharechainParameters, from store: some ShareStore, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Sharechain {
        guard let state = try store.pruneState() else {
            return try replay(parameters: parameters, from: store, rootAnchorTimestamp: nil, progress: progress)
        }
        var chain = try replay(parameters: parameters, from: store, root: state.root, progress: progress)
        chain.rootAdoptedFromPeers = state.adoptedFromPeers
        return chain
    }

    /// Rebuilds the chain above `root` from `store`'s summaries (the rest of `replay`).
    public static func replay(
        parameters: SharechainParameters, from store: some ShareStore, root: ChainRoot,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Sharechain {
        var chain = Sharechain(parameters: parameters)
        chain.reserveCapacity(try store.count())
        try store.forEachSummary(progress: progress) { summary in
            if summary.height < root.height || chain.index.contains(summary.hash) { return }
            chain.insert(summary, root: root)
        }
        chain.root = root
        try chain.finishReplay(from: store)
        return chain
    }

    /// The end of every replay: tip ties are broken by first-seen sequence, which replay
    /// preserves; the stored tip is authoritative when it is indexed with the best chain
    /// work. Then the TIDES window follows the tip.
    private mutating func finishReplay(from store: some ShareStore) throws {
        if let stored = try store.bestTip(), index.contains(stored), let current = best,
           let storedEntry = index[stored], storedEntry.chainWork == current.chainWork {
            bestTip = stored
            bestSlot = index.slot(of: stored)
        }
        moveWindow(to: bestTip)
    }
}
