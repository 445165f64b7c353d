import PeerProtocol

/// The node's address book: listening addresses learned from `--peer`, from `addr` gossip
/// and from inbound peers' `version`, kept in new and tried tables with anchors
/// (``AddressTables``). Owned by the network; the node provides a durable implementation.
public protocol PeerAddressStore: Sendable {
    /// Adds or refreshes addresses (newer `lastSeen` wins) told by a peer of network group
    /// `source` ("" when the node learned them first-hand).
    func add(_ addresses: [PeerAddress], source: String) async
    /// Records a completed outbound handshake with `address` (it enters the tried table).
    func markTried(_ address: PeerAddress, now: UInt64) async
    /// Up to `limit` addresses of both tables, most recently seen first.
    func addresses(limit: Int) async -> [PeerAddress]
    /// Up to `limit` dial candidates of each table, most recently seen first.
    func candidates(limit: Int) async -> (tried: [PeerAddress], new: [PeerAddress])
    /// Forgets an address.
    func remove(_ address: PeerAddress) async
    /// Remembers the outbound peers connected at shutdown, replacing earlier anchors.
    func saveAnchors(_ addresses: [PeerAddress]) async
    /// The anchors saved at the last shutdown; they are cleared (used once).
    func takeAnchors() async -> [PeerAddress]
}

extension PeerAddressStore {
    /// Adds addresses the node learned first-hand (a connection, `--peer`).
    public func add(_ addresses: [PeerAddress]) async { await add(addresses, source: "") }
}

/// An in-memory `PeerAddressStore`, bounded by ``AddressTables/Limits``.
public actor MemoryPeerAddressStore: PeerAddressStore {
    private var tables: AddressTables

    public init(limits: AddressTables.Limits = .standard) { tables = AddressTables(limits: limits) }

    public func add(_ addresses: [PeerAddress], source: String) { _ = tables.add(addresses, source: source) }
    public func markTried(_ address: PeerAddress, now: UInt64) { _ = tables.markTried(address, now: now) }
    public func addresses(limit: Int) -> [PeerAddress] { tables.freshest(limit: limit) }
    public func candidates(limit: Int) -> (tried: [PeerAddress], new: [PeerAddress]) { tables.candidates(limit: limit) }
    public func remove(_ address: PeerAddress) { _ = tables.forget(address) }
    public func saveAnchors(_ addresses: [PeerAddress]) { _ = tables.setAnchors(addresses) }
    public func takeAnchors() -> [PeerAddress] {
        let (anchors, _) = tables.takeAnchors()
        return anchors
    }

    /// The entry for `address`, if known (tests, diagnostics).
    public func entry(_ address: PeerAddress) -> AddressTables.Entry? { tables.entry(address) }
}
