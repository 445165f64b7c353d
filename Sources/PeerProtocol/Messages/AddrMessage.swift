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

    public func encode(to w: inout ByteWriter) { w.writeList(addresses) { a, w in a.encode(to: &w) } }

    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        addresses = try r.readList(limit: Self.maxCount) { r throws(ConsensusDecodingError) in try PeerAddress(from: &r) }
    }
}
