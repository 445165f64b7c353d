import NIOCore

/// Timed bans by IP address, keyed by `PeerHost.canonical` (an IPv4-mapped IPv6
/// address and its IPv4 form are one entry). Bounded: past `capacity` the ban ending
/// soonest is dropped. Pure: callers pass the time.
public struct BanList: Sendable {
    /// Most bans held.
    public static let defaultCapacity = 16_384
    /// Most bans held.
    public let capacity: Int
    private var until: [String: NIODeadline] = [:]

    public init(capacity: Int = defaultCapacity) { self.capacity = max(1, capacity) }

    /// Bans `host` until `deadline` (a later ban extends, an earlier one never shortens).
    public mutating func ban(_ host: String, until deadline: NIODeadline) {
        let key = PeerHost.canonical(host)
        until[key] = max(until[key] ?? deadline, deadline)
        while until.count > capacity, let soonest = until.min(by: { $0.value < $1.value }) { until[soonest.key] = nil }
    }

    /// Whether `host` is banned at `now`.
    public func isBanned(_ host: String, now: NIODeadline) -> Bool {
        guard let d = until[PeerHost.canonical(host)] else { return false }
        return d > now
    }

    /// Number of bans held (expired ones until `expire`).
    public var count: Int { until.count }

    /// Drops expired bans.
    public mutating func expire(now: NIODeadline) { until = until.filter { $0.value > now } }
}

/// Misbehaviour points per address, kept across reconnects so that disconnecting
/// does not reset a peer's score. Points decay linearly (`decayPerHour`); an entry
/// that decays to zero is dropped. Bounded: past `capacity` the entry with the fewest
/// points goes. Keyed by `PeerHost.canonical`. Pure: callers pass the time.
public struct MisbehaviourLedger: Sendable {
    /// Addresses remembered by default.
    public static let defaultCapacity = 4096
    /// Most addresses remembered.
    public let capacity: Int
    /// Points forgiven per hour.
    public let decayPerHour: Int
    private var entries: [String: (points: Int, at: NIODeadline)] = [:]

    public init(capacity: Int = defaultCapacity, decayPerHour: Int = 60) {
        self.capacity = max(1, capacity)
        self.decayPerHour = max(0, decayPerHour)
    }

    /// Points `host` carries at `now`.
    public func points(_ host: String, now: NIODeadline) -> Int {
        guard let e = entries[PeerHost.canonical(host)] else { return 0 }
        return decayed(e, now: now)
    }

    /// Records that a connection from `host` ended with `points` (its carried points
    /// included). Points only go down by decay: a clean connection from the same address
    /// (another one that was open already) does not erase them.
    public mutating func record(_ host: String, points: Int, now: NIODeadline) {
        let key = PeerHost.canonical(host)
        let current = self.points(key, now: now)
        guard points > current else { return }
        entries[key] = (points, now)
        if entries.count > capacity {
            entries = entries.filter { decayed($0.value, now: now) > 0 }
            while entries.count > capacity, let least = entries.min(by: { decayed($0.value, now: now) < decayed($1.value, now: now) }) {
                entries[least.key] = nil
            }
        }
    }

    /// Forgets `host` (it was banned: the ban replaces its points).
    public mutating func forget(_ host: String) { entries[PeerHost.canonical(host)] = nil }

    /// Number of addresses with points.
    public var count: Int { entries.count }

    private func decayed(_ e: (points: Int, at: NIODeadline), now: NIODeadline) -> Int {
        let hours = Double(max(0, (now - e.at).nanoseconds)) / 3.6e12
        return max(0, e.points - Int(hours * Double(decayPerHour)))
    }
}
