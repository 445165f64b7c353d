import NIOCore
import SharechainService

/// Which inbound peer to drop when the inbound table is full, Bitcoin Core's eviction in
/// small. Pure.
///
/// The peers that delivered the most useful shares (accepted ones) are protected, then
/// the ones with the lowest measured ping time; of the rest, the network group with the
/// most connections loses its newest connection. An attacker who fills the table from a
/// few groups thus evicts its own connections, and cannot push out the peers that feed
/// this node shares or answer fastest.
public enum InboundEviction {
    /// One inbound connection as eviction sees it.
    public struct Candidate: Sendable, Equatable {
        public var id: PeerID
        /// `PeerHost.group` of its address.
        public var group: String
        /// Shares it delivered that this node accepted.
        public var usefulShares: Int
        public var connectedAt: NIODeadline
        /// Last `ping` round trip, nil before the first answered ping.
        public var pingTime: TimeAmount?
        public init(id: PeerID, group: String, usefulShares: Int, connectedAt: NIODeadline, pingTime: TimeAmount? = nil) {
            self.id = id
            self.group = group
            self.usefulShares = usefulShares
            self.connectedAt = connectedAt
            self.pingTime = pingTime
        }
    }

    /// The connection to evict, nil when every one is protected.
    public static func select(_ candidates: [Candidate], protectByShares: Int, protectByPingTime: Int = 0) -> PeerID? {
        let useful = candidates.filter { $0.usefulShares > 0 }
            .sorted { ($0.usefulShares, $1.connectedAt) > ($1.usefulShares, $0.connectedAt) }
        var protected = Set(useful.prefix(max(0, protectByShares)).map(\.id))
        let fastest = candidates.filter { !protected.contains($0.id) }
            .compactMap { c in c.pingTime.map { (c.id, $0) } }
            .sorted { ($0.1.nanoseconds, $0.0.rawValue) < ($1.1.nanoseconds, $1.0.rawValue) }
        protected.formUnion(fastest.prefix(max(0, protectByPingTime)).map(\.0))
        let open = candidates.filter { !protected.contains($0.id) }
        guard !open.isEmpty else { return nil }
        let groups = Dictionary(grouping: open, by: \.group)
        guard let largest = groups.max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) }) else { return nil }
        return largest.value.max { ($0.connectedAt, $0.id.rawValue) < ($1.connectedAt, $1.id.rawValue) }?.id
    }
}

/// Inbound admission bookkeeping shared with the event loops (under the manager's lock).
struct InboundTable: Sendable {
    struct Entry: Sendable {
        var host: String
        var group: String
        var usefulShares = 0
        var connectedAt: NIODeadline
        var pingTime: TimeAmount?
        var channel: Channel
        var evicting = false
    }

    private(set) var entries: [PeerID: Entry] = [:]
    private var byHost: [String: Int] = [:]
    private var byGroup: [String: Int] = [:]

    var count: Int { entries.count }
    func count(host: String) -> Int { byHost[host] ?? 0 }
    func count(group: String) -> Int { byGroup[group] ?? 0 }

    mutating func insert(_ id: PeerID, _ entry: Entry) {
        entries[id] = entry
        byHost[entry.host, default: 0] += 1
        byGroup[entry.group, default: 0] += 1
    }

    mutating func remove(_ id: PeerID) {
        guard let e = entries.removeValue(forKey: id) else { return }
        byHost[e.host] = (byHost[e.host] ?? 1) > 1 ? byHost[e.host]! - 1 : nil
        byGroup[e.group] = (byGroup[e.group] ?? 1) > 1 ? byGroup[e.group]! - 1 : nil
    }

    mutating func delivered(_ id: PeerID, shares: Int) { entries[id]?.usefulShares += shares }

    mutating func setPingTime(_ id: PeerID, _ rtt: TimeAmount) { entries[id]?.pingTime = rtt }

    /// Picks a connection to evict (marked, so it is not picked twice) and returns its channel.
    mutating func evict(protectByShares: Int, protectByPingTime: Int) -> (PeerID, Channel)? {
        let candidates = entries.filter { !$0.value.evicting }.map {
            InboundEviction.Candidate(id: $0.key, group: $0.value.group, usefulShares: $0.value.usefulShares,
                                      connectedAt: $0.value.connectedAt, pingTime: $0.value.pingTime)
        }
        guard let id = InboundEviction.select(candidates, protectByShares: protectByShares,
                                              protectByPingTime: protectByPingTime),
              let channel = entries[id]?.channel else { return nil }
        entries[id]?.evicting = true
        return (id, channel)
    }

    /// Connections not being evicted.
    var active: Int { entries.values.count { !$0.evicting } }
}
