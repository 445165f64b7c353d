import PeerProtocol

/// The node's address book: listening addresses learned from `--peer`, from
/// `addr` gossip and from inbound peers' `version`. Owned by the network; the
/// node provides a durable implementation.
public protocol PeerAddressStore: Sendable {
    /// Adds or refreshes addresses (newer `lastSeen` wins).
    func add(_ addresses: [PeerAddress]) async
    /// Up to `limit` addresses, most recently seen first.
    func addresses(limit: Int) async -> [PeerAddress]
    /// Forgets an address.
    func remove(_ address: PeerAddress) async
}

/// An in-memory `PeerAddressStore`, bounded (the stalest address is dropped).
public actor MemoryPeerAddressStore: PeerAddressStore {
    private var entries: [String: PeerAddress] = [:]
    private let capacity: Int

    public init(capacity: Int = 4096) { self.capacity = capacity }

    public func add(_ addresses: [PeerAddress]) {
        for a in addresses {
            let key = "\(a.host):\(a.port)"
            if let old = entries[key], old.lastSeen >= a.lastSeen { continue }
            entries[key] = a
        }
        while entries.count > capacity, let stalest = entries.min(by: { $0.value.lastSeen < $1.value.lastSeen }) {
            entries[stalest.key] = nil
        }
    }

    public func addresses(limit: Int) -> [PeerAddress] {
        Array(entries.values.sorted { ($0.lastSeen, $0.host, $0.port) > ($1.lastSeen, $1.host, $1.port) }.prefix(limit))
    }

    public func remove(_ address: PeerAddress) { entries["\(address.host):\(address.port)"] = nil }
}
