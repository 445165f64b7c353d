import BitcoinPrimitives
import Sharechain

/// Answer to `getlocator`
///
/// Layout: `count compact(≤ 2000) | hash [32] × count`
public struct ShareHashesMessage: Sendable, Equatable {
    public static let maxCount = 2000
    public static let maxEncodedSize = hashListSize(maxCount)
    public var hashes: [ShareHash]
    public init(hashes: [ShareHash]) {
        precondition(hashes.count <= Self.maxCount)
        self.hashes = hashes
    }
}

extension ShareHashesMessage: PeerPayload {
    public static let command = Command.sharehashes
    public func encode(to w: inout ByteWriter) { w.writeShareHashes(hashes) }
    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        hashes = try r.readShareHashes(limit: Self.maxCount)
    }
}
