/// Shares whose parent has not arrived yet, bounded in count. When full, the
/// oldest orphan is evicted first (deterministic FIFO, no randomness).
public struct OrphanPool: Sendable {
    public let capacity: Int
    private var shares: [ShareHash: WireShare] = [:]
    private var children: [ShareHash: [ShareHash]] = [:]
    private var arrival: [ShareHash] = []
    private var arrivalHead = 0

    public init(capacity: Int = 512) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    public var count: Int { shares.count }

    public func contains(_ hash: ShareHash) -> Bool { shares[hash] != nil }

    /// Parents this pool is waiting for (to request from peers), in arrival order of their children.
    public var missingParents: [ShareHash] {
        var seen = Set<ShareHash>(), out: [ShareHash] = []
        for h in arrival[arrivalHead...] {
            if let s = shares[h], !shares.keys.contains(s.header.previousShare), seen.insert(s.header.previousShare).inserted {
                out.append(s.header.previousShare)
            }
        }
        return out
    }

    /// Adds an orphan; returns false if it was already held.
    @discardableResult
    public mutating func add(_ share: WireShare) -> Bool {
        let hash = share.hash
        guard shares[hash] == nil else { return false }
        shares[hash] = share
        children[share.header.previousShare, default: []].append(hash)
        arrival.append(hash)
        while shares.count > capacity { evictOldest() }
        if arrival.count - arrivalHead > 4 * capacity {
            // Drop arrival records of orphans that were taken by their parent.
            arrival = arrival[arrivalHead...].filter { shares[$0] != nil }
            arrivalHead = 0
        }
        return true
    }

    /// Removes and returns the orphans whose parent is `parent`, oldest first.
    public mutating func takeChildren(of parent: ShareHash) -> [WireShare] {
        guard let hashes = children.removeValue(forKey: parent) else { return [] }
        return hashes.compactMap { shares.removeValue(forKey: $0) }
    }

    private mutating func evictOldest() {
        while arrivalHead < arrival.count {
            let h = arrival[arrivalHead]
            arrivalHead += 1
            if let s = shares.removeValue(forKey: h) {
                children[s.header.previousShare]?.removeAll { $0 == h }
                if children[s.header.previousShare]?.isEmpty == true { children[s.header.previousShare] = nil }
                break
            }
        }
        if arrivalHead > 1024 && arrivalHead * 2 > arrival.count {
            arrival.removeFirst(arrivalHead)
            arrivalHead = 0
        }
    }
}
