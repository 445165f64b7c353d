import BitcoinPrimitives

/// Addresses of peers the sender knows, answering `getaddr`.
///
/// Layout: `count compact(≤ 1000) | PeerAddress × count`
public struct AddrMessage: Sendable, Equatable {
    public static let maxCount = 1000
    public static let maxEncodedSize = 3 + maxCount * PeerAddress.maxEncodedSize
    public var addresses: [PeerAddress]
    public init(addresses: [PeerAddress]) {
        precondition(addresses.count <= Self.maxCount)
        self.addresses = addresses
    }
}

extension AddrMessage: PeerPayload {
    public static let command = Command.addr

    public func encode(to w: inout ByteWriter) {
        w.writeCompactSize(UInt64(addresses.count))
        for a in addresses { a.encode(to: &w) }
    }

    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        let n = try r.readCompactSize(limit: Self.maxCount)
        var out: [PeerAddress] = []
        for _ in 0..<n { out.append(try PeerAddress(from: &r)) }
        addresses = out
    }
}
