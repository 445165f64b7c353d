import NIOCore

/// Timed bans by IP address. Pure: callers pass the time.
public struct BanList: Sendable {
    private var until: [String: NIODeadline] = [:]

    public init() {}

    /// Bans `host` until `deadline` (a later ban extends, an earlier one never shortens).
    public mutating func ban(_ host: String, until deadline: NIODeadline) {
        until[host] = max(until[host] ?? deadline, deadline)
    }

    /// Whether `host` is banned at `now`.
    public func isBanned(_ host: String, now: NIODeadline) -> Bool {
        guard let d = until[host] else { return false }
        return d > now
    }

    /// Drops expired bans.
    public mutating func expire(now: NIODeadline) { until = until.filter { $0.value > now } }
}
