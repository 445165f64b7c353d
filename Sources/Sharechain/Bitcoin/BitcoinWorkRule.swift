import BitcoinPrimitives

/// What a block on top of a given Bitcoin block must declare as `bits`, by Bitcoin's
/// own rules (Bitcoin Core `GetNextWorkRequired` / `CalculateNextWorkRequired`), so that
/// a share's Bitcoin header is bound to the real chain (Docs/PROTOCOL.md §8 rule 9b): nothing a peer
/// declares may make a share cheaper than the real schedule says.
public struct BitcoinParentRule: Sendable, Hashable {
    /// The bits every child must carry (except as `minimumDifficulty` allows).
    public var requiredBits: CompactTarget
    /// testnet4 (BIP94) and regtest allow a child whose time is more than 20 minutes
    /// after its parent's (`after` = parent time + 1,200) to use the proof-of-work limit.
    public var minimumDifficulty: MinimumDifficulty?

    /// The 20-minute exception.
    public struct MinimumDifficulty: Sendable, Hashable {
        /// A child's time must be greater than this (parent time + 1,200 s).
        public var after: UInt32
        /// The proof-of-work limit, compact.
        public var bits: CompactTarget
        public init(after: UInt32, bits: CompactTarget) { self.after = after; self.bits = bits }
    }

    /// Creates a rule.
    public init(requiredBits: CompactTarget, minimumDifficulty: MinimumDifficulty? = nil) {
        self.requiredBits = requiredBits
        self.minimumDifficulty = minimumDifficulty
    }

    /// Whether a child header's `bits` are the ones Bitcoin's rules require.
    public func allows(_ header: BlockHeader) -> Bool {
        if header.bits == requiredBits { return true }
        if let m = minimumDifficulty, header.time > m.after, header.bits == m.bits { return true }
        return false
    }
}

/// What the node's bitcoind knows of a share's Bitcoin parent (`prev_block`).
public enum BitcoinParentCheck: Sendable, Hashable {
    /// Known; a child must follow `rule`.
    case known(BitcoinParentRule)
    /// Not known (yet): the share waits without penalty until bitcoind learns the block.
    case unknown(BlockHash)
}

/// Bitcoin's difficulty rules, in integers, per network.
public enum BitcoinWorkRule {
    /// Blocks between retargets.
    public static let interval = 2016
    /// Two weeks, the retarget's target timespan in seconds.
    public static let targetTimespan: Int64 = 14 * 24 * 60 * 60
    /// The 20-minute rule's delay (testnet, BIP94; regtest).
    public static let minimumDifficultyDelay: UInt32 = 20 * 60

    /// The proof-of-work limit of a network (`consensus.powLimit`).
    public static func powLimit(_ network: BitcoinNetwork) -> UInt256 {
        switch network {
        case .mainnet, .testnet4: return UInt256(w0: .max, w1: .max, w2: .max, w3: 0x0000_0000_ffff_ffff)
        case .signet: return UInt256(w0: 0, w1: 0, w2: 0, w3: 0x0000_0377_ae00_0000)
        case .regtest: return UInt256(w0: .max, w1: .max, w2: .max, w3: 0x7fff_ffff_ffff_ffff)
        }
    }

    /// The retarget at the end of a period (`CalculateNextWorkRequired`): the base target
    /// (the period's last block's bits; its first block's bits under BIP94) scaled by the
    /// period's actual timespan clamped to [¼, 4] × two weeks, at most the limit.
    public static func retarget(baseBits: CompactTarget, firstBlockTime: UInt32, lastBlockTime: UInt32,
                                powLimit: UInt256) -> CompactTarget {
        let actual = min(max(Int64(lastBlockTime) - Int64(firstBlockTime), targetTimespan / 4), targetTimespan * 4)
        let base = (try? baseBits.target()) ?? powLimit
        let (scaled, overflow) = base.multipliedReportingOverflow(by: UInt256(UInt64(actual)))
        var next = overflow ? powLimit : scaled / UInt256(UInt64(targetTimespan))
        if next > powLimit { next = powLimit }
        return CompactTarget(target: next)
    }

    /// What the node needs to know of the parent to state the rule for its child.
    public struct Parent: Sendable, Hashable {
        public var height: Int
        public var bits: CompactTarget
        public var time: UInt32
        /// At a retarget (`(height + 1) % 2016 == 0`): the time of the period's first block
        /// (height − 2015) and its bits (BIP94's base).
        public var periodFirst: (time: UInt32, bits: CompactTarget)? {
            get { firstTime.map { ($0, firstBits ?? bits) } }
            set { firstTime = newValue?.time; firstBits = newValue?.bits }
        }
        /// testnet4 only, between retargets: the bits of the newest block of the period that
        /// is not a minimum-difficulty block (the rule's "last regular" bits).
        public var lastRegularBits: CompactTarget?
        var firstTime: UInt32?
        var firstBits: CompactTarget?

        public init(height: Int, bits: CompactTarget, time: UInt32,
                    periodFirst: (time: UInt32, bits: CompactTarget)? = nil, lastRegularBits: CompactTarget? = nil) {
            self.height = height
            self.bits = bits
            self.time = time
            self.firstTime = periodFirst?.time
            self.firstBits = periodFirst?.bits
            self.lastRegularBits = lastRegularBits
        }

        /// Whether the child starts a new period.
        public var childIsRetarget: Bool { (height + 1) % BitcoinWorkRule.interval == 0 }
    }

    /// The rule for a child of `parent` on `network`. Returns nil when the parent
    /// information needed is missing (e.g. `periodFirst` at a retarget).
    public static func rule(for parent: Parent, network: BitcoinNetwork) -> BitcoinParentRule? {
        let limit = powLimit(network)
        let limitBits = CompactTarget(target: limit)
        let minimum = BitcoinParentRule.MinimumDifficulty(after: parent.time &+ minimumDifficultyDelay, bits: limitBits)
        switch network {
        case .regtest:
            // fPowNoRetargeting: always the parent's bits (the limit); min-difficulty allowed.
            return BitcoinParentRule(requiredBits: parent.bits, minimumDifficulty: minimum)
        case .mainnet, .signet:
            guard parent.childIsRetarget else { return BitcoinParentRule(requiredBits: parent.bits) }
            guard let first = parent.periodFirst else { return nil }
            return BitcoinParentRule(requiredBits: retarget(baseBits: parent.bits, firstBlockTime: first.time,
                                                            lastBlockTime: parent.time, powLimit: limit))
        case .testnet4:
            if parent.childIsRetarget {
                // BIP94: the base is the period's first block's bits (never a min-difficulty block).
                guard let first = parent.periodFirst else { return nil }
                return BitcoinParentRule(requiredBits: retarget(baseBits: first.bits, firstBlockTime: first.time,
                                                                lastBlockTime: parent.time, powLimit: limit))
            }
            guard let regular = parent.lastRegularBits ?? (parent.bits == limitBits ? nil : parent.bits) else { return nil }
            return BitcoinParentRule(requiredBits: regular, minimumDifficulty: minimum)
        }
    }
}
