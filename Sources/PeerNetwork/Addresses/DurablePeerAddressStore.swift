import PeerProtocol
import SharechainStore

/// The peer network's address book kept in the node's LevelDB (`PeerAddressBook`),
/// so gossip-learned peers survive restarts. Bounded: past `capacity` addresses the
/// least recently seen are removed (it shares the database with the sharechain).
/// Entries of port 0 are bans (`DurablePeerBanStore`), never listed as addresses.
public struct DurablePeerAddressStore: PeerAddressStore {
    /// Addresses kept by default.
    public static let defaultCapacity = 4096
    public let book: PeerAddressBook
    public let capacity: Int

    public init(book: PeerAddressBook, capacity: Int = defaultCapacity) {
        self.book = book
        self.capacity = max(1, capacity)
    }

    public func add(_ addresses: [PeerAddress]) async {
        for a in addresses where a.port != 0 {
            let existing = try? book.entry(host: a.host, port: a.port)
            var entry = existing ?? PeerAddressEntry(host: a.host, port: a.port)
            entry.lastSeen = max(entry.lastSeen, Int64(clamping: a.lastSeen))
            try? book.upsert(entry)
        }
        let all = ((try? book.all()) ?? []).filter { $0.port != 0 }
        if all.count > capacity {
            for stale in all.sorted(by: { $0.lastSeen < $1.lastSeen }).prefix(all.count - capacity) {
                try? book.remove(host: stale.host, port: stale.port)
            }
        }
    }

    public func addresses(limit: Int) async -> [PeerAddress] {
        let all = ((try? book.all()) ?? []).filter { $0.port != 0 }
        return all.sorted { $0.lastSeen > $1.lastSeen }.prefix(limit)
            .map { PeerAddress(host: $0.host, port: $0.port, lastSeen: UInt64(clamping: $0.lastSeen)) }
    }

    public func remove(_ address: PeerAddress) async {
        try? book.remove(host: address.host, port: address.port)
    }
}
