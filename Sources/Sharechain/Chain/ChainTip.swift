import BitcoinPrimitives

/// A chain's best tip: what peers compare in `version` and what the node reports.
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
