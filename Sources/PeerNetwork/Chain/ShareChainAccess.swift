import BitcoinPrimitives
import Sharechain

/// A connection's identity inside one `PeerManager` (not persistent).
public struct PeerID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// The node itself: shares it mined.
    public static let local = PeerID(rawValue: 0)
    public var description: String { rawValue == 0 ? "local" : "peer#\(rawValue)" }
}

/// The best tip as peers see it in `version`.
public struct ChainTip: Sendable, Equatable {
    public var hash: ShareHash
    public var height: UInt32
    /// Cumulative share work of the chain ending at `hash`.
    public var work: UInt256
    public init(hash: ShareHash, height: UInt32, work: UInt256) {
        self.hash = hash
        self.height = height
        self.work = work
    }
}

/// What happened to a share handed to the chain.
public enum SubmitOutcome: Sendable, Equatable {
    /// Stored and indexed. `adopted` lists it and any orphans it released, in
    /// acceptance order (all to be announced); `newTip` is the best tip when it moved.
    case accepted(newTip: ShareHash?, adopted: [ShareHash])
    /// Already known (indexed or waiting as an orphan).
    case duplicate
    /// Parent unknown; kept in the orphan pool.
    case orphan(missingParent: ShareHash)
    /// Broke a rule; `error.penalty` says what the sender deserves.
    case rejected(ShareRuleError)
    /// Valid but could not be stored (the node's problem, not the peer's).
    case storeFailure(String)
}

/// An orphan that failed validation once its parent arrived, and the peer that sent it.
public struct OrphanFailure: Sendable, Equatable {
    /// The connection that sent the failing copy.
    public var peer: PeerID
    /// The share's hash (another copy with this hash may have been accepted).
    public var share: ShareHash
    /// Why the copy failed; `error.penalty` is what its sender deserves.
    public var error: ShareRuleError
    public init(peer: PeerID, share: ShareHash, error: ShareRuleError) {
        self.peer = peer
        self.share = share
        self.error = error
    }
}

/// Everything the peer network needs from the node's sharechain. Owned by the
/// network and implemented by the node (`LocalShareChain` is the in-process one).
public protocol ShareChainAccess: Sendable {
    /// The best tip, nil while the chain is empty.
    func bestTip() async -> ChainTip?
    /// A locator for the best chain: newest first, thinning out exponentially.
    func locator() async -> [ShareHash]
    /// Best-chain hashes after the first locator hash found on the best chain
    /// (from the oldest retained share if none is), ascending height, at most
    /// `limit`, ending with `stop` if met.
    func hashes(after locator: [ShareHash], stop: ShareHash, limit: Int) async -> [ShareHash]
    /// The hashes among `hashes` that are neither indexed nor waiting as orphans.
    func unknown(_ hashes: [ShareHash]) async -> [ShareHash]
    /// The stored shares among `hashes`, in the requested order.
    func shares(_ hashes: [ShareHash]) async -> [WireShare]
    /// Validates, stores and indexes a share received from `peer`.
    func submit(_ share: WireShare, from peer: PeerID) async -> SubmitOutcome
    /// Submits shares in order; one call per received `shares` message.
    func submit(_ shares: [WireShare], from peer: PeerID) async -> [SubmitOutcome]
    /// Hands a relayed full Bitcoin block to the node's bitcoind.
    func submitBlock(_ bytes: [UInt8]) async
    /// What bitcoind knows of a Bitcoin block (for relayed blocks: relay only blocks
    /// whose bits follow Bitcoin's rule); nil when the chain is not bound to a bitcoind.
    func bitcoinParentCheck(_ block: BlockHash) async -> BitcoinParentCheck?
    /// Released orphans that failed validation since the last call (their senders are
    /// penalised by `error.penalty`); the list is emptied.
    func takeOrphanFailures() async -> [OrphanFailure]
    /// The root of the retained chain (Docs/PROTOCOL.md §10); nil while it is kept from the
    /// first share. Served to peers as `root`.
    func chainRoot() async -> ChainRoot?
    /// Starts an empty chain at a root received from peers (sync from pruned peers);
    /// false, changing nothing, when the chain is not empty.
    func adoptRoot(_ root: ChainRoot) async -> Bool
}

extension ShareChainAccess {
    public func bitcoinParentCheck(_ block: BlockHash) async -> BitcoinParentCheck? { nil }

    public func takeOrphanFailures() async -> [OrphanFailure] { [] }
    /// Chains that never prune have no root.
    public func chainRoot() async -> ChainRoot? { nil }
    /// Chains that never prune adopt no root.
    public func adoptRoot(_ root: ChainRoot) async -> Bool { false }

    public func submit(_ shares: [WireShare], from peer: PeerID) async -> [SubmitOutcome] {
        var out: [SubmitOutcome] = []
        for s in shares { out.append(await submit(s, from: peer)) }
        return out
    }
}
