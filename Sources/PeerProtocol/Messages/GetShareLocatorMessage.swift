import BitcoinPrimitives
import Sharechain

/// Headers-first sync request (wire command `getlocator`): the receiver finds the
/// first locator hash on its best chain and answers `sharehashes` with up to
/// 2,000 best-chain hashes after it, ascending, ending early at `stop`.
///
/// Layout: `count compact(≤ 64) | hash [32] × count | stop [32]` (stop zero: no stop)
public struct GetShareLocatorMessage: Sendable, Equatable {
    public static let maxLocatorCount = 64
    public static let maxEncodedSize = hashListSize(maxLocatorCount) + 32
    /// Newest first, thinning out exponentially (Bitcoin's block locator).
    public var locator: [ShareHash]
    public var stop: ShareHash
    public init(locator: [ShareHash], stop: ShareHash = .none) {
        precondition(locator.count <= Self.maxLocatorCount)
        self.locator = locator
        self.stop = stop
    }
}

extension GetShareLocatorMessage: PeerPayload {
    public static let command = Command.getlocator
    public func encode(to w: inout ByteWriter) {
        w.writeShareHashes(locator)
        w.write(stop.rawHash)
    }
    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        locator = try r.readShareHashes(limit: Self.maxLocatorCount)
        stop = ShareHash(rawHash: try r.readHash256())
    }
}
