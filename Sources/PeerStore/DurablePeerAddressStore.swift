import PeerNetwork
import PeerProtocol
import SharechainStore

/// The peer network's address book kept in the node's LevelDB (`PeerAddressBook`), so
/// gossip-learned peers, the tried table and the anchors survive restarts. The tables
/// (``AddressTables``) live in memory, loaded once; every change is written through.
/// Bounded by ``AddressTables/Limits`` (it shares the database with the sharechain).
/// Entries of port 0 are bans (`DurablePeerBanStore`), never listed as addresses.
public actor DurablePeerAddressStore: PeerAddressStore {
    public let book: PeerAddressBook
    public let limits: AddressTables.Limits
    private var loaded: AddressTables?

    public init(book: PeerAddressBook, limits: AddressTables.Limits = .standard) {
        self.book = book
        self.limits = limits
    }

    public func add(_ addresses: [PeerAddress], source: String) {
        apply { $0.add(addresses, source: source) }
    }

    public func markTried(_ address: PeerAddress, now: UInt64) {
        apply { $0.markTried(address, now: now) }
    }

    public func addresses(limit: Int) -> [PeerAddress] { tables().freshest(limit: limit) }

    public func candidates(limit: Int) -> (tried: [PeerAddress], new: [PeerAddress]) {
        tables().candidates(limit: limit)
    }

    public func remove(_ address: PeerAddress) { apply { $0.forget(address) } }

    public func saveAnchors(_ addresses: [PeerAddress]) { apply { $0.setAnchors(addresses) } }

    public func takeAnchors() -> [PeerAddress] {
        var anchors: [PeerAddress] = []
        apply { tables in
            let (taken, change) = tables.takeAnchors()
            anchors = taken
            return change
        }
        return anchors
    }

    /// The entry for `address`, if known (tests, diagnostics).
    public func entry(_ address: PeerAddress) -> AddressTables.Entry? { tables().entry(address) }

    // MARK: Internals

    private func tables() -> AddressTables {
        if let loaded { return loaded }
        let entries = ((try? book.all()) ?? []).filter { $0.port != 0 }.map { e in
            AddressTables.Entry(address: PeerAddress(host: e.host, port: e.port, lastSeen: UInt64(clamping: e.lastSeen)),
                                source: e.source, lastSuccess: UInt64(clamping: e.lastSuccess), isAnchor: e.isAnchor)
        }
        let tables = AddressTables(limits: limits, loading: entries)
        // Entries beyond the limits (a smaller limit, or an older unbounded book) go now.
        let dropped = Set(entries.map(\.key)).subtracting(tables.keys)
        for e in entries where dropped.contains(e.key) {
            try? book.remove(host: e.address.host, port: e.address.port)
        }
        loaded = tables
        return tables
    }

    private func apply(_ body: (inout AddressTables) -> AddressTables.Change) {
        var tables = tables()
        let change = body(&tables)
        loaded = tables
        for e in change.written {
            try? book.upsert(PeerAddressEntry(host: e.address.host, port: e.address.port,
                                              lastSeen: Int64(clamping: e.address.lastSeen),
                                              lastSuccess: Int64(clamping: e.lastSuccess),
                                              source: e.source, isAnchor: e.isAnchor))
        }
        for a in change.removed { try? book.remove(host: a.host, port: a.port) }
    }
}
