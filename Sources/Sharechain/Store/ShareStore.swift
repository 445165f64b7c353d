/// Durable storage of the sharechain, owned by its consumer (the chain) and
/// implemented over LevelDB in the `ShareStore` module. Implementations must make
/// every `commit` atomic: after a crash at any instant, a share is either fully
/// present (share, summary, and the tip move that came with it) or absent.
public protocol ShareStore: Sendable {
    /// Atomically records an accepted share and, when given, the new best tip.
    func commit(_ share: WireShare, summary: ShareSummary, newTip: ShareHash?) throws
    /// Atomically records a run of accepted shares (parents before children) and, when
    /// given, the new best tip: after a crash either all of them (and the tip move) are
    /// present or none is. Equivalent to committing them one by one with `newTip` on the
    /// last, but cheaper (one write instead of one per share).
    func commit(_ writes: [ShareWrite], newTip: ShareHash?) throws
    /// Atomically moves the best tip without adding a share (e.g. after a reorg to a known branch).
    func setBestTip(_ tip: ShareHash) throws
    /// The best tip recorded by the last commit, if any.
    func bestTip() throws -> ShareHash?
    /// The full share, if stored.
    func share(_ hash: ShareHash) throws -> WireShare?
    /// Every stored summary in ascending (height, hash) order — parents before
    /// children. `progress` is called periodically with (done, total).
    func forEachSummary(progress: (Int, Int) -> Void, _ body: (ShareSummary) throws -> Void) throws
    /// Deletes every share below `height` (shares and summaries); returns how many.
    func prune(belowHeight height: UInt32) throws -> Int
    /// Number of stored shares.
    func count() throws -> Int
    /// Atomically records `state` with the first deletion, then deletes every share below
    /// `state.root.height`; returns how many. A crash part-way leaves whole shares and the
    /// state (replay skips what is left below the root).
    func prune(to state: PruneState) throws -> Int
    /// The state the last prune recorded, or nil for a store never pruned.
    func pruneState() throws -> PruneState?
}

/// One share of a batch commit (`ShareStore.commit(_:newTip:)`).
public struct ShareWrite: Sendable {
    public var share: WireShare
    /// Must describe `share`.
    public var summary: ShareSummary
    public init(share: WireShare, summary: ShareSummary) { self.share = share; self.summary = summary }
}

extension ShareStore {
    /// Stores without a batch write commit one share at a time (test doubles; not atomic
    /// across the batch).
    public func commit(_ writes: [ShareWrite], newTip: ShareHash?) throws {
        for (i, w) in writes.enumerated() {
            try commit(w.share, summary: w.summary, newTip: i == writes.count - 1 ? newTip : nil)
        }
        if writes.isEmpty, let newTip { try setBestTip(newTip) }
    }
    /// Stores without a prune record prune by height only (test doubles).
    public func prune(to state: PruneState) throws -> Int { try prune(belowHeight: state.root.height) }
    /// Stores without a prune record were never pruned.
    public func pruneState() throws -> PruneState? { nil }
}
