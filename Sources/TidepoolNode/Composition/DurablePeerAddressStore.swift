import PeerNetwork
import PeerProtocol
import SharechainStore

/// The peer network's address book kept in the node's LevelDB (`PeerAddressBook`),
/// so gossip-learned peers survive restarts.
struct DurablePeerAddressStore: PeerAddressStore {
    let book: PeerAddressBook

    func add(_ addresses: [PeerAddress]) async {
        for a in addresses {
            let existing = try? book.entry(host: a.host, port: a.port)
            var entry = existing ?? PeerAddressEntry(host: a.host, port: a.port)
            entry.lastSeen = max(entry.lastSeen, Int64(clamping: a.lastSeen))
            try? book.upsert(entry)
        }
    }

    func addresses(limit: Int) async -> [PeerAddress] {
        let all = (try? book.all()) ?? []
        return all.sorted { $0.lastSeen > $1.lastSeen }.prefix(limit)
            .map { PeerAddress(host: $0.host, port: $0.port, lastSeen: UInt64(clamping: $0.lastSeen)) }
    }

    func remove(_ address: PeerAddress) async {
        try? book.remove(host: address.host, port: address.port)
    }
}
