import BitcoinPrimitives

/// Which rule a share broke, and what that says about the peer that sent it.
///
/// Modeled on btcd's rule errors: each case states whether the sender should
/// be penalised (`penalty`), so the peer manager never has to guess. A share that is
/// already known or whose parent is missing broke no rule: `SubmitOutcome` says so.
public enum ShareRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// On a chain started from a root adopted from peers, a share offered as that root
    /// that is not it (Docs/PROTOCOL-P2P.md, "Sync from pruned peers"); no penalty.
    case notTheAdoptedRoot
    /// The Bitcoin header builds on a block the node's bitcoind does not know (yet): the
    /// share waits, without penalty, until bitcoind learns the block.
    case unknownBitcoinBlock(BlockHash)
    /// The share's branch leaves the best chain too far below the best tip, or runs too
    /// far past the fork point (`SharechainParameters.maximumForkDepth`): dropped without
    /// penalty (a long partition produces these honestly), never stored.
    case forkTooDeep(depth: UInt32, maximum: UInt32)
    /// The share's TIDES window reaches below the chain's pruned root, so its payouts cannot
    /// be checked from retained history (Docs/PROTOCOL.md §10); refused without penalty.
    case windowBeyondRetainedHistory
    /// The Bitcoin header's `bits` are not what Bitcoin's rules require on top of its
    /// `prev_block` (a share made cheap by declaring an easy Bitcoin target).
    case wrongBitcoinBits(declared: CompactTarget, required: CompactTarget)
    /// The share's timestamp is too far ahead of the local clock; it may become valid later.
    case timestampTooFarInFuture(timestamp: UInt64, now: UInt64)
    /// Built for another sharechain (different consensus parameters).
    case wrongConsensusID(ConsensusID)
    /// A share header version this node does not implement.
    case unsupportedVersion(UInt32)
    /// The Ed25519 signature does not verify under the share's node key.
    case badSignature
    /// The node key is not on this private network's allowlist.
    case nodeKeyNotAllowed
    /// Height is not the parent's height plus one (or a first share is not height 0).
    case badHeight(expected: UInt32, actual: UInt32)
    /// A chain's first share must declare the network's genesis share target.
    case badGenesisTarget
    /// Bits that do not decode to a usable target.
    case invalidBits(CompactTarget)
    /// The declared target is easier than the schedule requires.
    case targetTooEasy(declared: CompactTarget, required: UInt256)
    /// The Bitcoin header's hash does not meet the declared share target.
    case insufficientProofOfWork
    /// The timestamp is not after the median of the previous 11 shares.
    case timestampTooEarly(timestamp: UInt64, medianTimePast: UInt64)
    /// The payout script is not a standard address script.
    case nonStandardPayoutScript
    /// The coinbase scriptSig does not start with a BIP34 height push.
    case missingCoinbaseHeight
    /// The coinbase rebuilt with this node's TIDES split does not hash to the header's merkle root.
    case merkleRootMismatch
    /// The header's `coinbase_class` byte is not a `CoinbaseSizeClass` of this share version.
    case unknownCoinbaseSizeClass(UInt8)
    /// The coinbase the miner hashed does not fit the class the share declares (e.g. a
    /// scriptSig too long for its `coinb1` limit): firmware of that class would truncate it.
    case coinbaseExceedsSizeClass(CoinbaseSizeClass, CoinbaseLayout.Halves)
    /// The TIDES split of the share's window could not be computed from what it declares
    /// (e.g. a coinbase value beyond the money supply).
    case payoutSplitFailed(String)

    /// How a peer that sent this share should be treated.
    public enum Penalty: Sendable, Equatable {
        /// Honest peers send this too.
        case none
        /// Ban-score points to add (100 = ban).
        case misbehaving(Int)
    }

    public var penalty: Penalty {
        switch self {
        case .notTheAdoptedRoot, .timestampTooFarInFuture, .unknownBitcoinBlock, .forkTooDeep,
             .windowBeyondRetainedHistory:
            return .none
        case .wrongConsensusID, .unsupportedVersion, .nodeKeyNotAllowed, .timestampTooEarly:
            return .misbehaving(20)
        case .badSignature, .badHeight, .badGenesisTarget, .invalidBits, .targetTooEasy,
             .insufficientProofOfWork, .nonStandardPayoutScript, .missingCoinbaseHeight, .merkleRootMismatch,
             .unknownCoinbaseSizeClass, .coinbaseExceedsSizeClass, .wrongBitcoinBits, .payoutSplitFailed:
            return .misbehaving(100)
        }
    }

    public var description: String {
        switch self {
        case .notTheAdoptedRoot: return "not the root share this chain adopted from peers"
        case .timestampTooFarInFuture(let t, let now): return "timestamp \(t) is more than the allowed drift ahead of local time \(now)"
        case .wrongConsensusID(let id): return "consensus ID \(id) is not this network's"
        case .unsupportedVersion(let v): return "unsupported share version \(v)"
        case .unknownBitcoinBlock(let b): return "builds on Bitcoin block \(b), which bitcoind does not know (yet); held"
        case .wrongBitcoinBits(let d, let r): return "Bitcoin header bits \(d.hex) are not the \(r.hex) Bitcoin's rules require"
        case .forkTooDeep(let d, let m): return "forks at least \(d) shares deep, more than the \(m) a node considers"
        case .windowBeyondRetainedHistory: return "TIDES window reaches below the retained history (pruned root)"
        case .badSignature: return "signature does not verify"
        case .nodeKeyNotAllowed: return "node key is not on this private network's allowlist"
        case .badHeight(let e, let a): return "height \(a), expected \(e)"
        case .badGenesisTarget: return "first share must declare the genesis share target"
        case .invalidBits(let b): return "bits \(b) are not a valid target"
        case .targetTooEasy(let d, let r): return "declared target \(d) is easier than required \(CompactTarget(target: r))"
        case .insufficientProofOfWork: return "block header hash does not meet the share target"
        case .timestampTooEarly(let t, let m): return "timestamp \(t) is not after median time past \(m)"
        case .nonStandardPayoutScript: return "payout script is not a standard address script"
        case .missingCoinbaseHeight: return "coinbase scriptSig does not start with a BIP34 height"
        case .merkleRootMismatch: return "coinbase with the TIDES split does not match the header's merkle root"
        case .unknownCoinbaseSizeClass(let id): return "unknown coinbase size class \(id)"
        case .coinbaseExceedsSizeClass(let c, let h): return "coinbase (\(h)) exceeds its declared size class \(c)"
        case .payoutSplitFailed(let why): return "the TIDES split of its window cannot be computed: \(why)"
        }
    }
}
