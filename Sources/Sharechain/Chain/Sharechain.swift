import BitcoinPrimitives
import TIDES

/// The sharechain a node agrees on: every known branch, the best tip by
/// cumulative work, and a TIDES window kept in step with whichever branch is
/// being looked at (usually the best one). Pure: no clock (callers pass `now`),
/// no I/O (the node persists what `insert` returns through a `ShareStore`).
public struct Sharechain: Sendable {
    public let parameters: SharechainParameters
    public let consensusID: ConsensusID
    public private(set) var index = ChainIndex()
    /// The best tip, nil while the chain is empty.
    public internal(set) var bestTip: ShareHash?
    /// The next first-seen sequence number.
    public private(set) var nextSequence: UInt64 = 0

    /// The window's contents are the chain ending at the share in slot `windowSlot`
    /// (-1: empty). Slots change only when the index is pruned, which rebuilds the window.
    var window: TidesWindow
    var windowSlot: Int32 = -1
    /// Index script id → window script id (`.max` until first used).
    var windowScriptIDs: [UInt32] = []
    /// Slot of the best tip in the index.
    var bestSlot: Int32?
    var workCache = WorkCache()
    /// Step-4 divisions of the last splits (`AllocationMemo`: exact whatever it holds).
    var allocationMemo: AllocationMemo? = AllocationMemo()
    /// The last window capacity computed, by network target (a 256-bit division per new target).
    var capacityCache: (networkTarget: UInt256, capacity: UInt256)?
    /// `parameters.maximumShareTarget` and `genesisShareTarget` decoded once.
    let maximumShareTarget: UInt256
    let genesisShareTarget: UInt256
    /// The best chain's oldest retained share and the state of its pruned ancestors; nil
    /// while nothing has been pruned (Docs/PROTOCOL.md §10).
    public internal(set) var root: ChainRoot?
    /// Whether `root` was adopted from peers (`adopt(root:)`): shares whose TIDES window
    /// reaches below it are then accepted without the payout check (rules 13–14), the one
    /// trusted step of a sync from pruned peers (Docs/PROTOCOL-P2P.md). Cleared by `prune`.
    public internal(set) var rootAdoptedFromPeers = false
    /// Shares accepted without the payout check since the root was adopted.
    public internal(set) var unverifiedPayoutShares = 0

    public init(parameters: SharechainParameters) {
        self.parameters = parameters
        self.consensusID = parameters.consensusID
        // Any positive capacity: it is set per share before every split.
        self.window = TidesWindow(capacity: .one)
        let maximum = (try? parameters.maximumShareTarget.target()) ?? .max
        self.maximumShareTarget = maximum
        self.genesisShareTarget = (try? parameters.genesisShareTarget.target()) ?? maximum
    }

    /// The best tip's entry.
    public var best: ChainEntry? { bestTip.flatMap { index[$0] } }

    // MARK: Inserting

    /// What inserting a share changed.
    public struct InsertOutcome: Sendable, Equatable {
        /// The stored form of the share, with its first-seen sequence number.
        public var summary: ShareSummary
        /// The new best tip when it moved.
        public var newTip: ShareHash?
        /// Shares of the old best chain that are no longer on the best chain.
        public var reorgDepth: Int
    }

    /// Adds a share whose parent is indexed (or that starts a chain) and updates
    /// fork choice. Validation is the caller's job (`validate`); replay from the
    /// store uses this directly with the stored summary.
    ///
    /// `rootAnchorTimestamp` is the ASERT anchor (first share's timestamp) of a
    /// share whose parent was pruned; replay passes the value the node saved
    /// with `anchorTimestamp(of:)` before pruning.
    @discardableResult
    public mutating func insert(_ summary: ShareSummary, rootAnchorTimestamp: UInt64? = nil) -> InsertOutcome {
        if rootAnchorTimestamp == nil, let root, summary.height == root.height { return insert(summary, root: root) }
        return insert(summary, base: rootAnchorTimestamp.map { ($0, UInt256.zero) })
    }

    /// Adds a share as `insert(_:)` does; a share at `root.height` whose parent is not
    /// indexed (it was pruned) takes the root's anchor and base chain work, so that its
    /// targets and cumulative work are those of the unpruned chain.
    @discardableResult
    public mutating func insert(_ summary: ShareSummary, root: ChainRoot) -> InsertOutcome {
        insert(summary, base: summary.height == root.height ? (root.anchorTimestamp, root.baseChainWork) : nil)
    }

    private mutating func insert(_ summary: ShareSummary, base: (anchor: UInt64, chainWork: UInt256)?) -> InsertOutcome {
        let work = workCache.work(of: summary.bits)
        var chainWork = work
        var anchor = summary.timestamp
        let parent = index.slot(of: summary.previousShare, hint: bestSlot) ?? -1
        if parent >= 0 {
            let p = index.nodes[Int(parent)]
            chainWork = p.chainWork + work
            anchor = p.anchorTimestamp
        } else if summary.height > 0, let base {
            anchor = base.anchor
            chainWork = base.chainWork + work
        }
        let slot = index.insert(summary, parent: parent, work: work, chainWork: chainWork, anchorTimestamp: anchor)
        nextSequence = max(nextSequence, summary.sequence + 1)
        var outcome = InsertOutcome(summary: summary, newTip: nil, reorgDepth: 0)
        if let current = bestSlot {
            let c = index.nodes[Int(current)]
            guard Self.isBetter(chainWork: chainWork, sequence: summary.sequence, than: c) else { return outcome }
            if parent != current {
                let fork = index.commonAncestorSlot(current, slot)
                outcome.reorgDepth = Int(c.height) - Int(fork.map { index.nodes[Int($0)].height } ?? 0) + (fork == nil ? 1 : 0)
            }
        }
        bestSlot = slot
        bestTip = summary.hash
        outcome.newTip = summary.hash
        return outcome
    }

    /// Whether inserting `summary` (whose parent is indexed, or which starts a chain)
    /// would make it the best tip — the same fork-choice rule `insert` applies, so a
    /// store can record the tip move in the same batch as the share.
    public func wouldBecomeBest(_ summary: ShareSummary) -> Bool {
        guard let current = bestSlot else { return true }
        var chainWork = Work.of(target: (try? summary.bits.target()) ?? .max)
        if let parent = index.slot(of: summary.previousShare) { chainWork += index.nodes[Int(parent)].chainWork }
        return Self.isBetter(chainWork: chainWork, sequence: summary.sequence, than: index.nodes[Int(current)])
    }

    /// Fork choice: more cumulative work wins; equal work goes to the share seen first.
    private static func isBetter(chainWork: UInt256, sequence: UInt64, than node: ChainIndex.Node) -> Bool {
        chainWork != node.chainWork ? chainWork > node.chainWork : sequence < node.sequence
    }

    /// Reserves memory for `count` more shares.
    public mutating func reserveCapacity(_ count: Int) { index.reserveCapacity(count) }

    /// The ASERT anchor of the chain `hash` belongs to (persist it before pruning).
    public func anchorTimestamp(of hash: ShareHash) -> UInt64? { index[hash]?.anchorTimestamp }

    /// The summary a newly validated share will be stored with.
    public func summary(for share: WireShare) -> ShareSummary {
        ShareSummary(share, sequence: nextSequence)
    }

    // MARK: TIDES

    /// Moves the window so that it holds the chain ending at `tip` (nil, or not indexed: empty).
    /// Costs O(shares between the current window tip and `tip`), not O(window).
    mutating func moveWindow(to tip: ShareHash?) {
        moveWindow(toSlot: tip.flatMap { index.slot(of: $0) } ?? -1)
    }

    /// `moveWindow(to:)` for the share in slot `target` (-1: empty).
    mutating func moveWindow(toSlot target: Int32) {
        if windowSlot == target { return }
        let current = windowSlot
        if current >= 0, target >= 0, index.nodes[Int(target)].parent == current {
            // The usual step: one share on top of the window's tip.
            appendToWindow(target)
            windowSlot = target
            return
        }
        var toApply: [Int32] = []
        if current >= 0, target >= 0, let fork = index.commonAncestorSlot(current, target) {
            var s = current
            while s != fork {
                window.rollbackTip()
                s = index.nodes[Int(s)].parent
            }
            s = target
            while s != fork {
                toApply.append(s)
                s = index.nodes[Int(s)].parent
            }
        } else {
            // Disjoint chains (or an empty side): rebuild from the retained chain.
            // The new window interns scripts afresh, so the id map starts over too.
            window = TidesWindow(capacity: window.capacity)
            windowScriptIDs.removeAll(keepingCapacity: true)
            var s = target
            while s >= 0 {
                toApply.append(s)
                s = index.nodes[Int(s)].parent
            }
        }
        for s in toApply.reversed() { appendToWindow(s) }
        windowSlot = target
    }

    /// Appends the indexed share at `slot` to the window.
    private mutating func appendToWindow(_ slot: Int32) {
        let node = index.nodes[Int(slot)]
        window.append(work: node.work, scriptID: windowScriptID(node.scriptID))
    }

    /// The window's id for an index script id (both intern in their own tables).
    private mutating func windowScriptID(_ indexID: UInt32) -> UInt32 {
        let i = Int(indexID)
        while windowScriptIDs.count <= i { windowScriptIDs.append(.max) }
        if windowScriptIDs[i] == .max {
            windowScriptIDs[i] = window.scriptID(for: index.scripts[indexID])
        }
        return windowScriptIDs[i]
    }

    /// The TIDES split for a new share on top of `parent` (nil: a first share)
    /// paying `payoutScript` with `bits`, in a block with `networkTarget` and
    /// coinbase value `reward`, for a coinbase of `coinbaseSizeClass` (its payout
    /// byte budget). The same function builds block templates and validates peers'
    /// coinbases.
    public mutating func split(
        parent: ShareHash?, payoutScript: Script, bits: CompactTarget, networkTarget: UInt256, reward: Amount,
        coinbaseSizeClass: CoinbaseSizeClass = .safest
    ) throws(TidesError) -> TidesSplit {
        try split(parentSlot: parent.flatMap { index.slot(of: $0) } ?? -1, lotterySeed: parent?.rawHash ?? .zero,
                  payoutScript: payoutScript, bits: bits, networkTarget: networkTarget, reward: reward,
                  coinbaseSizeClass: coinbaseSizeClass)
    }

    /// `split(parent:…)` on the share in slot `parentSlot` (-1: none), whose hash is `lotterySeed`.
    mutating func split(
        parentSlot: Int32, lotterySeed: Hash256, payoutScript: Script, bits: CompactTarget, networkTarget: UInt256,
        reward: Amount, coinbaseSizeClass: CoinbaseSizeClass
    ) throws(TidesError) -> TidesSplit {
        moveWindow(toSlot: parentSlot)
        window.setCapacity(try windowCapacity(networkTarget: networkTarget))
        let work = workCache.work(of: bits)
        let weights = window.weights(withTentativeTip: TidesShare(script: payoutScript, work: work))
        return Tides.split(reward: reward, weights: weights, parameters: parameters.tides(for: coinbaseSizeClass),
                           lotterySeed: lotterySeed, memo: &allocationMemo)
    }

    /// `Tides.windowCapacity` for this chain's multiplier, remembered for the last network target.
    mutating func windowCapacity(networkTarget: UInt256) throws(TidesError) -> UInt256 {
        if let cached = capacityCache, cached.networkTarget == networkTarget { return cached.capacity }
        let capacity = try Tides.windowCapacity(networkTarget: networkTarget, multiplier: parameters.tides.windowMultiplier)
        capacityCache = (networkTarget, capacity)
        return capacity
    }

    // MARK: Schedule

    /// The easiest share target a child of `parent` may declare: the ASERT schedule
    /// (the genesis target for a first share), bounded by the network's maximum share
    /// target. It is not capped by the Bitcoin target (Docs/PROTOCOL.md §8 rule 9b):
    /// a share may be harder than a block, and a block need not be a share.
    /// Validation, job building and the API all use this one definition.
    public func requiredTarget(parent: ShareHash?) -> UInt256 {
        requiredTarget(parentSlot: parent.flatMap { index.slot(of: $0) } ?? -1)
    }

    /// `requiredTarget(parent:)` for the share in slot `slot` (-1: a first share).
    func requiredTarget(parentSlot slot: Int32) -> UInt256 {
        guard slot >= 0 else { return genesisShareTarget }
        let p = index.nodes[Int(slot)]
        return ShareDifficulty.scheduledTarget(
            anchor: .init(timestamp: p.anchorTimestamp, target: genesisShareTarget),
            parentHeight: p.height, parentTimestamp: p.timestamp,
            interval: parameters.shareInterval, halfLife: parameters.retargetHalfLife, maximumTarget: maximumShareTarget)
    }

    /// Median timestamp of the last 11 shares ending at `tip` (Bitcoin's rule).
    public func medianTimePast(tip: ShareHash) -> UInt64 {
        guard let slot = index.slot(of: tip) else { return 0 }
        return medianTimePast(slot: slot)
    }

    /// `medianTimePast(tip:)` of the share in slot `slot`.
    func medianTimePast(slot: Int32) -> UInt64 {
        // Up to 11 timestamps walking back from the tip, insertion-sorted on the stack.
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 11) { times in
            var n = 0
            var s = slot
            while s >= 0, n < 11 {
                let t = index.nodes[Int(s)].timestamp
                var k = n
                while k > 0 && times[k - 1] > t {
                    times[k] = times[k - 1]
                    k -= 1
                }
                times[k] = t
                n += 1
                s = index.nodes[Int(s)].parent
            }
            return n == 0 ? 0 : times[n / 2]
        }
    }

    // MARK: Pruning

    /// Forgets shares more than `depth` below the best tip (index and window
    /// history). Returns the height below which shares were removed.
    @discardableResult
    public mutating func prune(keepingDepth depth: UInt32) -> UInt32 {
        guard let tip = best, tip.height > depth else { return index.lowestHeight }
        let height = tip.height - depth
        prune(belowHeight: height)
        return height
    }

    /// Forgets every share below `height` (index, interned scripts and window history) and
    /// returns the new root: the best chain's share at `height` with the anchor and chain
    /// work of its pruned ancestors (persist it with the store's prune). Nil when nothing
    /// is pruned. Costs O(retained shares): call it in batches (`RetentionPolicy`).
    @discardableResult
    public mutating func prune(belowHeight height: UInt32) -> ChainRoot? {
        guard let slot = bestSlot, height > index.lowestHeight,
              let a = index.ancestorSlot(of: slot, atHeight: height) else { return nil }
        let node = index.nodes[Int(a)]
        let newRoot = ChainRoot(height: height, hash: node.hash, anchorTimestamp: node.anchorTimestamp,
                                baseChainWork: node.chainWork - node.work)
        index.prune(belowHeight: height)
        bestSlot = bestTip.flatMap { index.slot(of: $0) }
        // Script ids were renumbered: rebuild the window from the retained chain.
        window = TidesWindow(capacity: window.capacity)
        windowScriptIDs.removeAll()
        windowSlot = -1
        moveWindow(toSlot: bestSlot ?? -1)
        root = newRoot
        rootAdoptedFromPeers = false
        return newRoot
    }

    /// Starts an empty chain at a root received from peers (a sync from pruned peers): the
    /// share `root.hash` is then accepted without its pruned parent (`validateRoot`), and its
    /// descendants are validated in full except for payouts whose window reaches below it.
    /// Returns false (and changes nothing) when the chain is not empty.
    @discardableResult
    public mutating func adopt(root: ChainRoot) -> Bool {
        guard index.count == 0 else { return false }
        self.root = root
        rootAdoptedFromPeers = true
        unverifiedPayoutShares = 0
        return true
    }

    /// Number of shares inside the window at the best tip.
    public var windowShareCount: Int { window.windowShareCount }
}
