import BitcoinPrimitives

/// One share in the in-memory chain index.
public struct ChainEntry: Sendable, Hashable {
    /// What the store keeps of the share.
    public var summary: ShareSummary
    /// `work(bits)`: the share's TIDES weight and its fork-choice weight.
    public var work: UInt256
    /// Total work of the share and all its indexed ancestors.
    public var chainWork: UInt256
    /// Timestamp of the chain's first share (the ASERT anchor).
    public var anchorTimestamp: UInt64

    public var hash: ShareHash { summary.hash }
    public var height: UInt32 { summary.height }
}

extension ChainEntry {
    /// Fork choice: more cumulative work wins; equal work goes to the share seen first.
    public func isBetter(than other: ChainEntry) -> Bool {
        if chainWork != other.chainWork { return chainWork > other.chainWork }
        return summary.sequence < other.summary.sequence
    }
}
