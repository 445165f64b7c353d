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

    /// `host:port` (`[v6]:port` for IPv6 literals).
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Parses `host:port` or `[v6]:port`.
    public init?(parsing text: String) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, host.utf8.count <= Self.maxHostLength, let port = UInt16(portText) else { return nil }
        self.init(host: String(host), port: port)
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
