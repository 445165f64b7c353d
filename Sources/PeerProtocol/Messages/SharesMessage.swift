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

    public func encode(to w: inout ByteWriter) {
        w.writeCompactSize(UInt64(shares.count))
        for s in shares { s.encode(to: &w) }
    }

    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        let n = try r.readCompactSize(limit: Self.maxCount)
        var out: [WireShare] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            let start = r.offset
            let share = try WireShare(from: &r)
            if r.offset - start > WireShare.maxEncodedSize {
                throw .invalidValue(offset: start, reason: "share exceeds \(WireShare.maxEncodedSize) bytes")
            }
            out.append(share)
        }
        shares = out
    }
}
