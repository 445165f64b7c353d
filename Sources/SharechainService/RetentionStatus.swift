import BitcoinPrimitives
import Sharechain

/// What a node retains of the sharechain (`/api/v1/status`, the prune log line).
public struct RetentionStatus: Sendable, Equatable {
    /// Shares in the chain index (every branch); the store holds the same once pruning settles.
    public var shares: Int
    /// Work of the retained best chain (its tip's chain work minus the pruned base).
    public var work: UInt256
    /// Lowest height still indexed.
    public var lowestHeight: UInt32
    /// `Zref`, the largest window capacity seen (retention keeps 4 × it below the fork depth).
    public var referenceCapacity: UInt256
    /// The root recorded by the last prune; nil while nothing was pruned.
    public var root: ChainRoot?

    /// Creates a status.
    public init(shares: Int, work: UInt256, lowestHeight: UInt32, referenceCapacity: UInt256, root: ChainRoot?) {
        self.shares = shares
        self.work = work
        self.lowestHeight = lowestHeight
        self.referenceCapacity = referenceCapacity
        self.root = root
    }
}
