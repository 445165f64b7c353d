import BitcoinPrimitives
import Sharechain

/// Asks for full shares; always answered with one `shares` message holding the ones the peer has (possibly none), in the requested order.
///
/// Layout: `count compact(≤ 500) | hash [32] × count`
public struct GetSharesMessage: Sendable, Equatable {
    public static let maxCount = 500
    public static let maxEncodedSize = hashListSize(maxCount)
    public var hashes: [ShareHash]
    public init(hashes: [ShareHash]) {
        precondition(hashes.count <= Self.maxCount)
        self.hashes = hashes
    }
}

extension GetSharesMessage: PeerPayload {
    public static let command = Command.getshares
    public func encode(to w: inout ByteWriter) { w.writeShareHashes(hashes) }
    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        hashes = try r.readShareHashes(limit: Self.maxCount)
    }
}
