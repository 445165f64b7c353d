/// The `capacity` most recently added keys with their values: adding a key past capacity
/// forgets the oldest one. O(1) per operation, memory bounded by `capacity` — the one
/// shape of every "recently seen" set in the node (Stratum duplicate submissions, relayed
/// blocks, Bitcoin parent rules already asked of bitcoind).
public struct RecentMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// Most keys remembered.
    public let capacity: Int
    private var values: [Key: Value] = [:]
    /// Keys in insertion order, used as a ring once full; `next` is the oldest.
    private var ring: [Key] = []
    private var next = 0

    /// An empty map. Storage grows with use (no upfront reservation of `capacity`).
    public init(capacity: Int) {
        precondition(capacity > 0, "a RecentMap remembers at least one key")
        self.capacity = capacity
    }

    /// The value remembered for `key`.
    public subscript(key: Key) -> Value? { values[key] }

    /// Whether `key` is remembered.
    public func contains(_ key: Key) -> Bool { values[key] != nil }

    /// Keys remembered now.
    public var count: Int { values.count }

    /// Remembers `value` for `key`. A new key may push out the oldest; a remembered key
    /// gets the new value and keeps its age. Returns whether the key was new.
    @discardableResult
    public mutating func insert(_ key: Key, value: Value) -> Bool {
        guard values.updateValue(value, forKey: key) == nil else { return false }
        if ring.count < capacity {
            ring.append(key)
        } else {
            values[ring[next]] = nil
            ring[next] = key
            next = (next + 1) % capacity
        }
        return true
    }
}

/// The `capacity` most recently added elements (a `RecentMap` without values).
public struct RecentSet<Element: Hashable & Sendable>: Sendable {
    private var map: RecentMap<Element, Bool>

    /// An empty set remembering at most `capacity` elements.
    public init(capacity: Int) { map = RecentMap(capacity: capacity) }

    /// Most elements remembered.
    public var capacity: Int { map.capacity }

    /// Adds `element`; false when it is already remembered.
    @discardableResult
    public mutating func insert(_ element: Element) -> Bool { map.insert(element, value: true) }

    /// Whether `element` is remembered.
    public func contains(_ element: Element) -> Bool { map.contains(element) }

    /// Elements remembered now.
    public var count: Int { map.count }
}
