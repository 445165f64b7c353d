import Sharechain

/// What just happened in a `LocalShareChain`, reported synchronously at the moment it
/// happens (on the chain's actor) to the `onEvent` callback, e.g. for metrics. Handlers
/// must be quick and must not call back into the chain.
public enum ShareChainEvent: Sendable, Equatable {
    /// A share was stored and indexed. `local`: submitted by this node (`PeerID.local`,
    /// i.e. found by its own miners); otherwise a peer's, including orphans released
    /// when their parent arrived and held shares retried later.
    case accepted(local: Bool)
    /// A share broke a rule (an `.unknownBitcoinBlock` one is held and retried).
    case refused(ShareRuleError, local: Bool)
    /// A share already known (indexed or waiting as an orphan): harmless.
    case duplicate(local: Bool)
    /// A share kept as an orphan until its parent arrives (then reported as accepted).
    case orphaned(local: Bool)
    /// A valid share the store refused to write.
    case storeFailure(local: Bool)
    /// The best tip moved; its height.
    case newTip(height: UInt32)
    /// `count` shares were dropped below the retained depth.
    case pruned(count: Int)
    /// Shares in the chain's index after an insert or a prune (what the store holds).
    case stored(count: Int)
}
