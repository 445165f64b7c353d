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
        // Tip ties are broken by first-seen sequence, which replay preserves; the
        // stored tip is authoritative when it is indexed.
        if let stored = try store.bestTip(), chain.index.contains(stored), let current = chain.best,
           let storedEntry = chain.index[stored], storedEntry.chainWork == current.chainWork {
            chain.bestTip = stored
            chain.bestSlot = chain.index.slot(of: stored)
        }
        chain.moveWindow(to: chain.bestTip)
        return chain
    }
}
