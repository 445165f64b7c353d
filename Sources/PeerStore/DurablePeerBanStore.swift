import PeerNetwork
import SharechainStore

/// Bans kept in the node's LevelDB, in the address book (`PeerAddressBook`) as entries
/// of port 0 (no listening address has port 0, and the manager never dials or gossips
/// one), so the store needs no new record kind.
public struct DurablePeerBanStore: PeerBanStore {
    public let book: PeerAddressBook
    public init(book: PeerAddressBook) { self.book = book }

    public func bans() async -> [PeerBan] {
        ((try? book.all()) ?? []).filter { $0.port == 0 && $0.banUntil > 0 }
            .map { PeerBan(host: $0.host, until: UInt64(clamping: $0.banUntil)) }
    }

    public func ban(_ ban: PeerBan) async {
        try? book.ban(host: ban.host, port: 0, until: Int64(clamping: ban.until))
    }
}
