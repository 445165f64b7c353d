import BitcoinPrimitives

/// A peer's listening address as gossiped in `addr`.
///
/// Layout: `host varstr(≤ 255) | port u16 | last_seen u64 (Unix seconds)`
public struct PeerAddress: Sendable, Hashable, CustomStringConvertible {
    public static let maxHostLength = 255
    public static let maxEncodedSize = 3 + maxHostLength + 2 + 8

    /// IPv4/IPv6 literal or DNS name.
    public var host: String
    public var port: UInt16
    /// When the address was last known to accept connections (Unix seconds).
    public var lastSeen: UInt64

    public init(host: String, port: UInt16, lastSeen: UInt64 = 0) {
        self.host = host
        self.port = port
        self.lastSeen = lastSeen
    }

    /// The address as an endpoint (no `lastSeen`): what dials and dial keys use.
    public var endpoint: HostPort { HostPort(host: host, port: Int(port)) }

    /// `host:port` (`[v6]:port` for IPv6 literals).
    public var description: String { endpoint.description }

    /// Parses `host:port` or `[v6]:port` (an address to connect to: port 1–65535).
    public init?(parsing text: String) {
        guard let endpoint = try? HostPort(parsing: text, role: .connect) else { return nil }
        self.init(host: endpoint.host, port: UInt16(endpoint.port))
    }
}

extension PeerAddress: ConsensusCodable {
    public func encode(to w: inout ByteWriter) {
        w.writeString(host)
        w.writeLittleEndian(port)
        w.writeLittleEndian(lastSeen)
    }

    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        host = try r.readString(maxLength: Self.maxHostLength)
        port = try r.readLittleEndian()
        lastSeen = try r.readLittleEndian()
    }
}
