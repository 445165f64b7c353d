import BitcoinPrimitives

/// A small simulated Bitcoin chain for devnet (Docs/PROTOCOL.md §1): coinbase-only blocks, its
/// own difficulty adjustment (`DevnetDifficulty`), and real validation of submitted
/// blocks (`submit(_:now:)`). Pure: no clock, no I/O; callers pass the time.
///
/// Side branches are kept; a branch with more work becomes the active chain, as in
/// bitcoind.
public struct DevnetChain: Sendable {
    /// One block of the block tree.
    public struct Entry: Sendable {
        /// The full block.
        public let block: Block
        /// Its hash.
        public let hash: BlockHash
        /// Its height.
        public let height: Int
        /// Total work of the chain ending here.
        public let chainWork: UInt256
        /// Time of the block at height 1 on this branch (the ASERT anchor); nil for genesis.
        let anchorTime: UInt32?
    }

    /// The chain's rules.
    public let parameters: DevnetParameters
    private(set) var entries: [BlockHash: Entry] = [:]
    private(set) var active: [BlockHash] = []
    /// Blocks that passed the context-free checks and then failed (bitcoind's
    /// BLOCK_FAILED_VALID): submitting one again returns `duplicate-invalid`.
    private(set) var invalid: Set<BlockHash> = []

    /// Creates a chain holding only the parameters' genesis block.
    public init(parameters: DevnetParameters = DevnetParameters()) {
        self.parameters = parameters
        let genesis = parameters.genesisBlock
        let work = (try? Work.of(bits: genesis.header.bits)) ?? .one
        let entry = Entry(block: genesis, hash: genesis.hash, height: 0, chainWork: work, anchorTime: nil)
        entries[entry.hash] = entry
        active = [entry.hash]
    }

    // MARK: - Queries

    /// The best block's entry.
    public var tip: Entry { entries[active[active.count - 1]]! }
    /// The best block's height.
    public var height: Int { active.count - 1 }
    /// The genesis block's hash.
    public var genesisHash: BlockHash { active[0] }

    /// The entry of a known block (active or side branch).
    public func entry(_ hash: BlockHash) -> Entry? { entries[hash] }

    /// The active chain's block hash at `height`.
    public func hash(atHeight height: Int) -> BlockHash? {
        active.indices.contains(height) ? active[height] : nil
    }

    /// Whether `hash` is on the active chain.
    public func isActive(_ hash: BlockHash) -> Bool {
        guard let e = entries[hash] else { return false }
        return self.hash(atHeight: e.height) == hash
    }

    /// Median of the times of `hash` and its up to 10 ancestors (BIP113 median time past).
    public func medianTimePast(of hash: BlockHash) -> UInt32 {
        var times: [UInt32] = []
        var cursor = entries[hash]
        while let e = cursor, times.count < 11 {
            times.append(e.block.header.time)
            cursor = entries[e.block.header.prevBlock]
        }
        times.sort()
        return times[times.count / 2]
    }

    /// The bits a block on top of `parent` must carry.
    public func nextBits(after parent: Entry) -> CompactTarget {
        guard let anchorTime = parent.anchorTime else { return parameters.initialBits }
        let anchorTarget = (try? parameters.initialBits.target()) ?? parameters.powLimit
        let target = DevnetDifficulty.asertTarget(
            anchorTarget: anchorTarget, timeDiff: Int64(parent.block.header.time) - Int64(anchorTime),
            heightDiff: Int64(parent.height - 1), interval: parameters.targetBlockInterval,
            halfLife: parameters.halfLife, powLimit: parameters.powLimit)
        return CompactTarget(target: target)
    }

    /// The `getblocktemplate` answer at time `now`: a coinbase-only block on the tip,
    /// `curtime` = max(now, median time past + 1).
    public func template(now: UInt32) -> BlockTemplate {
        let tip = self.tip
        let bits = nextBits(after: tip)
        let mintime = medianTimePast(of: tip.hash) + 1
        let commitment = WitnessCommitment.commitment(
            witnessRoot: WitnessCommitment.witnessMerkleRoot(nonCoinbaseWtxids: []))
        return BlockTemplate(
            version: 0x2000_0000, previousBlockHash: tip.hash, transactions: [],
            coinbaseValue: parameters.subsidy(height: tip.height + 1), bits: bits,
            target: (try? bits.target()) ?? parameters.powLimit, height: tip.height + 1,
            curtime: max(now, mintime), mintime: mintime,
            defaultWitnessCommitment: WitnessCommitment.outputScript(commitment: commitment),
            rules: ["csv", "!segwit", "taproot"], longPollID: tip.hash.description + String(tip.height))
    }

    // MARK: - Adding blocks

    /// Validates and stores a block (see `DevnetChain+Validation.swift`), returning
    /// bitcoind's `submitblock` result. `now`, when given, enables the
    /// `time-too-new` check (more than two hours ahead).
    public mutating func submit(_ block: Block, now: UInt32? = nil) -> SubmitBlockResult {
        let hash = block.hash
        if entries[hash] != nil { return .duplicate }
        if invalid.contains(hash) { return .duplicateInvalid }
        if let reason = checkBlock(block) { return .rejected(reason) }
        guard let parent = entries[block.header.prevBlock] else { return .rejected("prev-blk-not-found") }
        if let reason = contextualCheck(block, parent: parent, now: now) {
            // As in bitcoind, a block that fails only through its witness data is not
            // remembered: the same header with correct witnesses may still be valid.
            if !Self.mutationReasons.contains(reason) { invalid.insert(hash) }
            return .rejected(reason)
        }
        let work = (try? Work.of(bits: block.header.bits)) ?? .zero
        let entry = Entry(block: block, hash: hash, height: parent.height + 1,
                          chainWork: parent.chainWork + work,
                          anchorTime: parent.anchorTime ?? block.header.time)
        entries[hash] = entry
        guard entry.chainWork > tip.chainWork else { return .inconclusive }
        activate(entry)
        return .accepted
    }

    /// Makes `entry` the tip, switching branches where they fork.
    private mutating func activate(_ entry: Entry) {
        var branch: [BlockHash] = []
        var cursor = entry
        while !isActive(cursor.hash) {
            branch.append(cursor.hash)
            cursor = entries[cursor.block.header.prevBlock]!
        }
        active.removeSubrange((cursor.height + 1)...)
        active.append(contentsOf: branch.reversed())
    }
}
