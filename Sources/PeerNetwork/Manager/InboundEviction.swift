import NIOCore

/// Which inbound peer to drop when the inbound table is full, Bitcoin Core's eviction in
/// small. Pure.
///
/// The peers that delivered the most useful shares (accepted ones) are protected; of the
/// rest, the network group with the most connections loses its newest connection. An
/// attacker who fills the table from a few groups thus evicts its own connections, and
/// cannot push out the peers that actually feed this node shares.
public enum InboundEviction {
    /// One inbound connection as eviction sees it.
    public struct Candidate: Sendable, Equatable {
        public var id: PeerID
        /// `PeerHost.group` of its address.
        public var group: String
        /// Shares it delivered that this node accepted.
        public var usefulShares: Int
        public var connectedAt: NIODeadline
        public init(id: PeerID, group: String, usefulShares: Int, connectedAt: NIODeadline) {
            self.id = id
            self.group = group
            self.usefulShares = usefulShares
            self.connectedAt = connectedAt
        }
    }

    /// The connection to evict, nil when every one is protected.
    public static func select(_ candidates: [Candidate], protectByShares: Int) -> PeerID? {
        let useful = candidates.filter { $0.usefulShares > 0 }
            .sorted { ($0.usefulShares, $1.connectedAt) > ($1.usefulShares, $0.connectedAt) }
        let protected = Set(useful.prefix(max(0, protectByShares)).map(\.id))
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

    /// Picks a connection to evict (marked, so it is not picked twice) and returns its channel.
    mutating func evict(protectByShares: Int) -> (PeerID, Channel)? {
        let candidates = entries.filter { !$0.value.evicting }.map {
            InboundEviction.Candidate(id: $0.key, group: $0.value.group, usefulShares: $0.value.usefulShares,
                                      connectedAt: $0.value.connectedAt)
        }
        guard let id = InboundEviction.select(candidates, protectByShares: protectByShares),
              let channel = entries[id]?.channel else { return nil }
        entries[id]?.evicting = true
        return (id, channel)
    }

    /// Connections not being evicted.
    var active: Int { entries.values.count { !$0.evicting } }
}
