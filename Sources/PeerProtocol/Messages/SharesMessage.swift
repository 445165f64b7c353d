import BitcoinPrimitives
import Sharechain

/// Full shares, answering `getshares` (or a sync batch).
///
/// Layout: `count compact(≤ 500) | WireShare × count` (each ≤ 2048 bytes)
public struct SharesMessage: Sendable, Equatable {
    public static let maxCount = 500
    public static let maxEncodedSize = 3 + maxCount * WireShare.maxEncodedSize
    public var shares: [WireShare]
    public init(shares: [WireShare]) {
        precondition(shares.count <= Self.maxCount)
        self.shares = shares
    }
}

extension SharesMessage: PeerPayload {
    public static let command = Command.shares

    public func encode(to w: inout ByteWriter) { w.writeList(shares) { s, w in s.encode(to: &w) } }

    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        shares = try r.readList(limit: Self.maxCount, maxElementSize: WireShare.maxEncodedSize, element: "share") {
            r throws(ConsensusDecodingError) in try WireShare(from: &r)
        }
    }
}
