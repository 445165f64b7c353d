import BitcoinPrimitives
import Sharechain
import SharechainService

/// Everything the peer network needs from the node's sharechain. Owned by the
/// network; `LocalShareChain` (SharechainService) is the node's, tests and benchmarks
/// bring their own.
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
    /// Told of each received `shares` message as soon as it is decoded, on the connection's
    /// thread, before `submit(_:from:)` gets it: the chain may start checking its signatures
    /// on spare cores. Must return at once.
    func prepareSignatures(_ shares: [WireShare])
    /// Shares the node itself submitted and the chain accepted, as they happen: the
    /// peer network announces them (local miners' shares reach peers this way).
    var localAcceptances: AsyncStream<LocalAcceptance> { get }
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

extension LocalShareChain: ShareChainAccess {}

extension ShareChainAccess {
    public func bitcoinParentCheck(_ block: BlockHash) async -> BitcoinParentCheck? { nil }

    public func takeOrphanFailures() async -> [OrphanFailure] { [] }
    /// Chains that never prune have no root.
    public func chainRoot() async -> ChainRoot? { nil }
    /// Chains that never prune adopt no root.
    public func adoptRoot(_ root: ChainRoot) async -> Bool { false }

    /// Chains without helper threads check signatures when they apply the share.
    public func prepareSignatures(_ shares: [WireShare]) {}

    public func submit(_ shares: [WireShare], from peer: PeerID) async -> [SubmitOutcome] {
        var out: [SubmitOutcome] = []
        for s in shares { out.append(await submit(s, from: peer)) }
        return out
    }
}
