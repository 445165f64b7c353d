/// Shares whose parent has not arrived yet, bounded in count, per source and per
/// hash. Pure: no clock, no randomness; eviction is deterministic.
///
/// Hardening (issue 11, item 9):
/// - **Per-source quota**: one source (a peer connection, identified by an opaque
///   number) holds at most `perSourceQuota` orphans; past it, its own oldest is evicted.
/// - **Largest-holder eviction**: when the pool is full, the oldest orphan of the source
///   holding the most goes, so a flooding peer evicts its own orphans, not an honest
///   peer's sync batch.
/// - **Variants by full bytes**: a share's hash covers only its header, so a copy with
///   the same hash and a different body (another merkle branch or coinbase) is a
///   different orphan. Up to `maxVariants` are held per hash; when the parent arrives the
///   caller validates each in arrival order, keeps the first valid one and charges the
///   source of every invalid one. A bogus copy no longer blocks the real share.
///
/// Callers admit only shares that pass the parent-free checks
/// (`Sharechain.checkWithoutParent`: proof of work against the declared target, at most
/// the network's maximum share target, and the signature).
public struct OrphanPool: Sendable {
    /// A held share and the source that sent it.
    public struct Orphan: Sendable, Equatable {
        public var share: WireShare
        /// Who sent it (`PeerID.rawValue` in the node; 0 for the node itself).
        public var source: UInt64
        public init(share: WireShare, source: UInt64) {
            self.share = share
            self.source = source
        }
    }

    /// What `add` did.
    public enum Admission: Sendable, Equatable {
        case added
        /// This exact share (same bytes) is already held.
        case duplicate
        /// `maxVariants` different shares with this hash are held already.
        case tooManyVariants
    }

    /// Different shares held under one hash.
    public static let maxVariants = 4

    /// Orphans held in all (variants counted).
    public let capacity: Int
    /// Orphans held per source.
    public let perSourceQuota: Int

    private struct Entry: Sendable {
        var orphan: Orphan
        var sequence: UInt64
    }

    private var byHash: [ShareHash: [Entry]] = [:]
    private var children: [ShareHash: [ShareHash]] = [:]
    /// Per source: (hash, sequence) in arrival order from `heads[source]` on, lazily deleted.
    private var arrivals: [UInt64: [(ShareHash, UInt64)]] = [:]
    private var heads: [UInt64: Int] = [:]
    private var perSource: [UInt64: Int] = [:]
    private var total = 0
    private var nextSequence: UInt64 = 0

    /// - Parameters:
    ///   - capacity: orphans held in all.
    ///   - perSourceQuota: orphans held per source (default: half the capacity, at least 1).
    public init(capacity: Int = 512, perSourceQuota: Int? = nil) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.perSourceQuota = max(1, min(capacity, perSourceQuota ?? capacity / 2))
    }

    /// Orphans held (variants counted).
    public var count: Int { total }

    /// Orphans held from `source`.
    public func count(from source: UInt64) -> Int { perSource[source] ?? 0 }

    /// Whether some share with this hash is held.
    public func contains(_ hash: ShareHash) -> Bool { byHash[hash] != nil }

    /// Whether this exact share (same bytes) is held.
    public func contains(_ share: WireShare) -> Bool {
        byHash[share.hash]?.contains { $0.orphan.share == share } ?? false
    }

    /// Parents this pool is waiting for (to request from peers), in arrival order of their children.
    public var missingParents: [ShareHash] {
        let firsts = byHash.values.compactMap(\.first).sorted { $0.sequence < $1.sequence }
        var seen = Set<ShareHash>(), out: [ShareHash] = []
        for e in firsts {
            let parent = e.orphan.share.header.previousShare
            if byHash[parent] == nil, seen.insert(parent).inserted { out.append(parent) }
        }
        return out
    }

    /// Adds an orphan sent by `source`.
    @discardableResult
    public mutating func add(_ share: WireShare, source: UInt64 = 0) -> Admission {
        let hash = share.hash
        let variants = byHash[hash] ?? []
        if variants.contains(where: { $0.orphan.share == share }) { return .duplicate }
        guard variants.count < Self.maxVariants else { return .tooManyVariants }
        if count(from: source) >= perSourceQuota { evictOldest(of: source) }
        let entry = Entry(orphan: Orphan(share: share, source: source), sequence: nextSequence)
        nextSequence += 1
        if byHash[hash] == nil { children[share.header.previousShare, default: []].append(hash) }
        byHash[hash, default: []].append(entry)
        arrivals[source, default: []].append((hash, entry.sequence))
        perSource[source, default: 0] += 1
        total += 1
        while total > capacity, let largest = perSource.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            evictOldest(of: largest.key)
        }
        return .added
    }

    /// Removes and returns the orphans whose parent is `parent` (every variant), oldest first.
    public mutating func takeChildren(of parent: ShareHash) -> [Orphan] {
        guard let hashes = children.removeValue(forKey: parent) else { return [] }
        var out: [Entry] = []
        for h in hashes {
            guard let entries = byHash.removeValue(forKey: h) else { continue }
            for e in entries { forget(e.orphan.source) }
            out += entries
        }
        return out.sorted { $0.sequence < $1.sequence }.map(\.orphan)
    }

    /// Removes and returns every variant held under `hash`, oldest first (e.g. the share a
    /// chain root adopted from peers names, which may wait deep inside a chain of orphans).
    public mutating func take(_ hash: ShareHash) -> [Orphan] {
        guard let entries = byHash.removeValue(forKey: hash), let first = entries.first else { return [] }
        let parent = first.orphan.share.header.previousShare
        children[parent]?.removeAll { $0 == hash }
        if children[parent]?.isEmpty == true { children[parent] = nil }
        for e in entries { forget(e.orphan.source) }
        return entries.sorted { $0.sequence < $1.sequence }.map(\.orphan)
    }

    // MARK: Internals

    private mutating func forget(_ source: UInt64) {
        total -= 1
        let left = (perSource[source] ?? 1) - 1
        if left <= 0 {
            perSource[source] = nil
            arrivals[source] = nil
            heads[source] = nil
        } else {
            perSource[source] = left
        }
    }

    private mutating func evictOldest(of source: UInt64) {
        guard var queue = arrivals[source] else { return }
        var head = heads[source] ?? 0
        var found = false
        while head < queue.count {
            let (hash, sequence) = queue[head]
            head += 1
            guard var entries = byHash[hash], let i = entries.firstIndex(where: { $0.sequence == sequence }) else {
                continue  // taken by its parent already
            }
            let parent = entries[i].orphan.share.header.previousShare
            entries.remove(at: i)
            if entries.isEmpty {
                byHash[hash] = nil
                children[parent]?.removeAll { $0 == hash }
                if children[parent]?.isEmpty == true { children[parent] = nil }
            } else {
                byHash[hash] = entries
            }
            found = true
            break
        }
        if head > 64 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        arrivals[source] = queue
        heads[source] = head
        if found { forget(source) }
    }
}
