import BitcoinPrimitives

/// A set of the newest `capacity` hashes: inserting beyond it forgets the oldest.
/// Memory is bounded by `capacity` whatever is inserted.
struct RecentHashes: Sendable {
    let capacity: Int
    private var members: Set<Hash256> = []
    private var order: [Hash256] = []
    private var next = 0

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        // No reserveCapacity: room for 1,024 hashes is ~64 KB per connection, and most of
        // a node's connections never submit that many; the set grows as they do.
    }

    /// Adds `hash`; false when it is already remembered.
    mutating func insert(_ hash: Hash256) -> Bool {
        guard members.insert(hash).inserted else { return false }
        if order.count < capacity {
            order.append(hash)
        } else {
            members.remove(order[next])
            order[next] = hash
            next = (next + 1) % capacity
        }
        return true
    }

    /// Hashes remembered now.
    var count: Int { members.count }
}
