import BitcoinPrimitives

/// One peer in the address book. Times are unix seconds supplied by the caller (the store
/// has no clock); 0 means "never".
///
/// Stored under `'p' ‖ text` as `host varbytes(1…255) | port u16 | last_seen i64 |
/// last_success i64 | failures u32 | ban_until i64` (little-endian).
public struct PeerAddressEntry: Sendable, Hashable {
    /// A DNS name or an IPv4/IPv6 address (IPv6 without brackets).
    public var host: String
    public var port: UInt16
    /// When the peer was last heard of (gossip or connection).
    public var lastSeen: Int64
    /// When a handshake with the peer last succeeded.
    public var lastSuccess: Int64
    /// Connection failures since the last success.
    public var failures: UInt32
    /// The peer is banned while `now < banUntil`.
    public var banUntil: Int64
    /// Network group of the peer that told us of this address ("" when learned first-hand).
    public var source: String
    /// The node was connected to this peer (outbound) when it last shut down.
    public var isAnchor: Bool

    /// Longest host in UTF-8 bytes (a DNS name's limit).
    public static let maxHostBytes = 255

    /// An entry; times default to "never", failures to 0.
    public init(host: String, port: UInt16, lastSeen: Int64 = 0, lastSuccess: Int64 = 0,
                failures: UInt32 = 0, banUntil: Int64 = 0, source: String = "", isAnchor: Bool = false) {
        self.host = host
        self.port = port
        self.lastSeen = lastSeen
        self.lastSuccess = lastSuccess
        self.failures = failures
        self.banUntil = banUntil
        self.source = source
        self.isAnchor = isAnchor
    }

    /// Longest source group text in UTF-8 bytes.
    public static let maxSourceBytes = 64

    /// Whether the peer is banned at unix time `now`.
    public func isBanned(at now: Int64) -> Bool { now < banUntil }

    /// `host:port`, with an IPv6 host in brackets; the address book's key.
    public var text: String { Self.text(host: host, port: port) }

    static func text(host: String, port: UInt16) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The record's bytes in the address book.
    public var serialized: [UInt8] {
        var writer = ByteWriter(capacity: 40 + host.utf8.count)
        writer.writeVarBytes(Array(host.utf8))
        writer.writeLittleEndian(port)
        writer.writeLittleEndian(lastSeen)
        writer.writeLittleEndian(lastSuccess)
        writer.writeLittleEndian(failures)
        writer.writeLittleEndian(banUntil)
        // Since protocol version 2 (tried/new tables): the source group and a flags byte.
        // Records written before end after `banUntil` and decode with the defaults.
        writer.writeVarBytes(Array(source.utf8.prefix(Self.maxSourceBytes)))
        writer.writeLittleEndian(isAnchor ? UInt8(1) : 0)
        return writer.bytes
    }

    /// Decodes a record; one written before the tried/new tables (no source, no flags) decodes too.
    public init(serialized bytes: [UInt8]) throws(ConsensusDecodingError) {
        var reader = ByteReader(bytes)
        host = String(decoding: try reader.readVarBytes(maxLength: Self.maxHostBytes), as: UTF8.self)
        port = try reader.readLittleEndian()
        lastSeen = try reader.readLittleEndian()
        lastSuccess = try reader.readLittleEndian()
        failures = try reader.readLittleEndian()
        banUntil = try reader.readLittleEndian()
        if reader.isAtEnd {
            source = ""
            isAnchor = false
            return
        }
        source = String(decoding: try reader.readVarBytes(maxLength: Self.maxSourceBytes), as: UTF8.self)
        let flags: UInt8 = try reader.readLittleEndian()
        isAnchor = flags & 1 != 0
        if !reader.isAtEnd { throw .trailingBytes(count: reader.remaining) }
    }
}
