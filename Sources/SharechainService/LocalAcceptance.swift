import Sharechain

/// Shares the node itself handed to its chain (its miners' shares, held shares accepted
/// on a retry) that the chain accepted: the peer network announces them. Peers' shares
/// are announced by the peer network as it submits them (it knows which were a sync).
public struct LocalAcceptance: Sendable, Equatable {
    /// The accepted share and the orphans it released, in acceptance order.
    public var adopted: [ShareHash]
    /// The best tip, when it moved.
    public var newTip: ShareHash?
    public init(adopted: [ShareHash], newTip: ShareHash?) {
        self.adopted = adopted
        self.newTip = newTip
    }
}
