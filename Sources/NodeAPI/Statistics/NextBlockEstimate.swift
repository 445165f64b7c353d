import BitcoinPrimitives

/// Expected time to the next Bitcoin block: the template target's expected hashes
/// `2^256 / (target + 1)` divided by a hash-rate estimate.
///
/// The template carries no network hash rate, so the divisor is the sharechain's
/// (all nodes' miners, from chain work per minute) when known, otherwise this node's
/// miners' (from pseudo-shares): `basis` says which. It is then the expected time for
/// the pool to find a block, not the network's block interval.
public struct NextBlockEstimate: Sendable, Hashable {
    /// Which hash rate is the divisor.
    public enum Basis: String, Sendable, Hashable {
        /// The whole sharechain's hash rate (chain work per minute, last hour).
        case sharechain
        /// This node's miners' hash rate (pseudo-shares, last hour).
        case nodeMiners = "node_miners"
    }

    /// The template's target.
    public var networkTarget: UInt256
    /// `2^256 / (target + 1)`, exact.
    public var expectedHashes: UInt256
    /// The divisor's source; nil when no hash rate is known.
    public var basis: Basis?
    /// The divisor, hashes per second (display only).
    public var hashesPerSecond: Double

    /// Picks the sharechain rate when positive, else the node miners' rate.
    public init(networkTarget: UInt256, sharechainRate: Double, nodeMinersRate: Double) {
        self.networkTarget = networkTarget
        expectedHashes = Work.of(target: networkTarget)
        if sharechainRate > 0 {
            basis = .sharechain
            hashesPerSecond = sharechainRate
        } else if nodeMinersRate > 0 {
            basis = .nodeMiners
            hashesPerSecond = nodeMinersRate
        } else {
            basis = nil
            hashesPerSecond = 0
        }
    }

    /// Expected seconds to the next block; nil without a hash rate. Display only.
    public var expectedSeconds: Double? {  // display only
        hashesPerSecond > 0 ? expectedHashes.approximateDouble / hashesPerSecond : nil
    }
}
