import PeerProtocol

/// The address book's tables, after Bitcoin Core's address manager in small (issue 11 item 6,
/// Docs/SECURITY.md "Peer-to-peer"). A pure value: the stores wrap it in memory or over LevelDB.
///
/// - **new**: addresses heard of (gossip, an inbound peer's `version`) but never connected
///   to. Each remembers its *source*: the network group (/16 IPv4, /32 IPv6) of the peer that
///   told us, or `""` when the node learned it itself. A source holds at most
///   ``Limits/newPerSource`` entries (past that its own stalest entry goes), and when the
///   table is full the stalest entry *of the source holding the most* goes: an attacker who
///   floods from one subnet only ever displaces its own addresses, and needs a subnet per
///   ``Limits/newPerSource`` entries to fill the table.
/// - **tried**: addresses this node dialed and completed a handshake with. Gossip never
///   removes them (it can only refresh `lastSeen`); past ``Limits/triedCapacity`` the one with
///   the oldest successful connection goes.
/// - **anchors**: the outbound peers the node was connected to when it last shut down,
///   dialed first at the next start (Bitcoin Core's `anchors.dat`), so that an attacker who
///   filled the tables while the node was down does not choose all of its first peers.
///
/// Ties are broken by `host:port` text, so the result never depends on dictionary order.
public struct AddressTables: Sendable {
    /// Table sizes.
    public struct Limits: Sendable, Equatable {
        /// Entries in the new table.
        public var newCapacity: Int
        /// New entries one source group may hold.
        public var newPerSource: Int
        /// Entries in the tried table.
        public var triedCapacity: Int

        /// New 4,096 (256 per source group), tried 1,024.
        public static let standard = Limits(newCapacity: 4096, newPerSource: 256, triedCapacity: 1024)

        public init(newCapacity: Int, newPerSource: Int, triedCapacity: Int) {
            self.newCapacity = max(1, newCapacity)
            self.newPerSource = max(1, min(newPerSource, newCapacity))
            self.triedCapacity = max(1, triedCapacity)
        }
    }

    /// One address and what the node knows of it.
    public struct Entry: Sendable, Equatable {
        public var address: PeerAddress
        /// Network group of the peer that told us ("" when learned first-hand).
        public var source: String
        /// Unix time of the last completed outbound handshake; 0: never (the new table).
        public var lastSuccess: UInt64
        /// Connected outbound at the last shutdown.
        public var isAnchor: Bool

        public var isTried: Bool { lastSuccess > 0 }
        public var key: String { Self.key(address) }

        public init(address: PeerAddress, source: String, lastSuccess: UInt64 = 0, isAnchor: Bool = false) {
            self.address = address
            self.source = source
            self.lastSuccess = lastSuccess
            self.isAnchor = isAnchor
        }

        /// `host:port` (IPv6 in brackets): the address's `HostPort` text.
        public static func key(_ a: PeerAddress) -> String { a.endpoint.description }
    }

    /// What a change did, for a store that mirrors the tables on disk.
    public struct Change: Sendable, Equatable {
        public var written: [Entry] = []
        public var removed: [PeerAddress] = []
        public init() {}
    }

    public let limits: Limits
    private(set) var entries: [String: Entry] = [:]
    private var newBySource: [String: Int] = [:]
    private(set) var triedCount = 0

    public init(limits: Limits = .standard) { self.limits = limits }

    /// Tables holding `entries` (loaded from disk), trimmed to the limits.
    public init(limits: Limits = .standard, loading loaded: [Entry]) {
        self.init(limits: limits)
        for e in loaded.sorted(by: { $0.key < $1.key }) { insert(e) }
        _ = trim()
    }

    public var count: Int { entries.count }
    /// The `host:port` keys of every entry.
    public var keys: Set<String> { Set(entries.keys) }
    public var newCount: Int { entries.count - triedCount }

    /// The entry for `address`, if known.
    public func entry(_ address: PeerAddress) -> Entry? { entries[Entry.key(address)] }

    /// Adds or refreshes addresses learned from `source` (a network group, "" for first-hand).
    /// A known address keeps its table and source; only a newer `lastSeen` is taken.
    public mutating func add(_ addresses: [PeerAddress], source: String) -> Change {
        var change = Change()
        for a in addresses where a.port != 0 {
            let k = Entry.key(a)
            if var known = entries[k] {
                guard a.lastSeen > known.address.lastSeen else { continue }
                known.address.lastSeen = a.lastSeen
                entries[k] = known
                change.written.append(known)
                continue
            }
            // A full source makes room among its own addresses first.
            if newBySource[source, default: 0] >= limits.newPerSource, let own = stalestNew(of: source) {
                change.removed.append(remove(own)!.address)
            }
            let e = Entry(address: a, source: source)
            insert(e)
            change.written.append(e)
        }
        let trimmed = trim()
        change.removed += trimmed
        let gone = Set(trimmed.map(Entry.key))
        change.written.removeAll { gone.contains($0.key) }
        return change
    }

    /// Records a completed outbound handshake at unix time `now`: the address moves to (or
    /// stays in) the tried table.
    public mutating func markTried(_ address: PeerAddress, now: UInt64) -> Change {
        var change = Change()
        let k = Entry.key(address)
        var e = remove(k) ?? Entry(address: address, source: "")
        e.address.lastSeen = max(e.address.lastSeen, now)
        e.lastSuccess = max(now, 1)
        insert(e)
        change.written.append(e)
        change.removed = trim()
        return change
    }

    /// Forgets `address`.
    public mutating func forget(_ address: PeerAddress) -> Change {
        var change = Change()
        if let e = remove(Entry.key(address)) { change.removed.append(e.address) }
        return change
    }

    /// Marks exactly `addresses` (those known) as anchors.
    public mutating func setAnchors(_ addresses: [PeerAddress]) -> Change {
        var change = Change()
        let wanted = Set(addresses.map(Entry.key))
        for k in entries.keys.sorted() {
            let anchor = wanted.contains(k)
            if entries[k]!.isAnchor != anchor {
                entries[k]!.isAnchor = anchor
                change.written.append(entries[k]!)
            }
        }
        return change
    }

    /// The anchors, in `host:port` order, and the change that clears them (they are used once).
    public mutating func takeAnchors() -> ([PeerAddress], Change) {
        let anchors = entries.values.filter(\.isAnchor).sorted { $0.key < $1.key }
        return (anchors.map(\.address), setAnchors([]))
    }

    /// Up to `limit` addresses of each table, most recently seen first.
    public func candidates(limit: Int) -> (tried: [PeerAddress], new: [PeerAddress]) {
        let sorted = entries.values.sorted(by: Self.fresherFirst)
        return (Array(sorted.lazy.filter(\.isTried).prefix(limit).map(\.address)),
                Array(sorted.lazy.filter { !$0.isTried }.prefix(limit).map(\.address)))
    }

    /// Up to `limit` addresses of both tables, most recently seen first (for `addr` answers).
    public func freshest(limit: Int) -> [PeerAddress] {
        Array(entries.values.sorted(by: Self.fresherFirst).prefix(limit).map(\.address))
    }

    // MARK: Internals

    private static func fresherFirst(_ a: Entry, _ b: Entry) -> Bool {
        (a.address.lastSeen, b.key) > (b.address.lastSeen, a.key)
    }

    private static func staler(_ a: Entry, _ b: Entry) -> Bool {
        (a.address.lastSeen, a.key) < (b.address.lastSeen, b.key)
    }

    private mutating func insert(_ e: Entry) {
        if let old = entries[e.key] { _ = remove(old.key) }
        entries[e.key] = e
        if e.isTried { triedCount += 1 } else { newBySource[e.source, default: 0] += 1 }
    }

    @discardableResult
    private mutating func remove(_ key: String) -> Entry? {
        guard let e = entries.removeValue(forKey: key) else { return nil }
        if e.isTried {
            triedCount -= 1
        } else {
            let left = newBySource[e.source, default: 1] - 1
            newBySource[e.source] = left > 0 ? left : nil
        }
        return e
    }

    private func stalestNew(of source: String) -> String? {
        entries.values.filter { !$0.isTried && $0.source == source }.min(by: Self.staler)?.key
    }

    /// Brings both tables within their limits; returns what was removed.
    private mutating func trim() -> [PeerAddress] {
        var removed: [PeerAddress] = []
        while triedCount > limits.triedCapacity,
              let oldest = entries.values.filter(\.isTried).min(by: { ($0.lastSuccess, $0.key) < ($1.lastSuccess, $1.key) }) {
            removed.append(remove(oldest.key)!.address)
        }
        while newCount > limits.newCapacity {
            // The source holding the most gives up its stalest entry (ties: smaller source text).
            guard let (source, _) = newBySource.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
                  let victim = stalestNew(of: source) else { break }
            removed.append(remove(victim)!.address)
        }
        return removed
    }
}
