import PeerProtocol

/// A ban as persisted: the canonical IP and the end of the ban in Unix seconds.
public struct PeerBan: Sendable, Hashable {
    /// `PeerHost.canonical` of the banned address.
    public var host: String
    /// End of the ban, Unix seconds.
    public var until: UInt64
    public init(host: String, until: UInt64) {
        self.host = host
        self.until = until
    }
}

/// Where the peer manager keeps bans across restarts. Owned by the network; the node
/// provides a durable implementation (`DurablePeerBanStore`).
public protocol PeerBanStore: Sendable {
    /// Every stored ban (expired ones may be included; the manager skips them).
    func bans() async -> [PeerBan]
    /// Stores a ban (a later end replaces an earlier one).
    func ban(_ ban: PeerBan) async
}

/// An in-memory `PeerBanStore` (tests, nodes without a store).
public actor MemoryPeerBanStore: PeerBanStore {
    private var entries: [String: UInt64] = [:]
    public init(_ bans: [PeerBan] = []) { for b in bans { entries[b.host] = b.until } }
    public func bans() -> [PeerBan] { entries.map { PeerBan(host: $0.key, until: $0.value) } }
    public func ban(_ ban: PeerBan) { entries[ban.host] = max(entries[ban.host] ?? 0, ban.until) }
}
