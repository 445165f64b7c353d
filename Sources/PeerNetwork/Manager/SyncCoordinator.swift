import NIOCore
import Sharechain
import SharechainService

/// Headers-first sync bookkeeping, pure. A round asks one peer (`roundPeer`)
/// for up to 2,000 best-chain hashes after our locator; the unknown ones are
/// fetched in batches spread over every eligible peer; a full round continues
/// from its last hash, a short one ends the sync.
///
/// Hijack limits (issue 11, item 4): a round that delivers no new share within the
/// stall timeout ends (`isStalled`), and a full round that delivered nothing new is not
/// continued (`finishRound`), so a peer answering with hashes it never delivers, or
/// with nothing, holds the sync for a bounded time only. Pure: callers pass the time.
struct SyncCoordinator: Sendable {
    private(set) var roundPeer: PeerID?
    /// When the current round began or last delivered a new share.
    private(set) var lastRoundProgress: NIODeadline?
    /// New shares the current round (including its continuations) delivered.
    private(set) var roundDelivered = 0
    /// New shares delivered since the current continuation began.
    private var stepDelivered = 0
    /// Hashes of the current continuation that were unknown (requested).
    private var stepUnknown = 0
    private(set) var awaitingHashes = false
    private var queue: [ShareHash] = []
    /// Hashes another peer did not have: only the round peer is asked for them.
    private var roundPeerQueue: [ShareHash] = []
    private var inflight: [PeerID: [[ShareHash]]] = [:]
    private var roundWasFull = false
    private var roundLast: ShareHash?
    /// Shares fetched since the sync began (for the progress line).
    private(set) var fetched = 0

    var isIdle: Bool { roundPeer == nil }
    var pendingCount: Int { queue.count + roundPeerQueue.count + inflight.values.reduce(0) { $0 + $1.joined().count } }

    mutating func begin(with peer: PeerID, now: NIODeadline) {
        roundPeer = peer
        awaitingHashes = true
        lastRoundProgress = now
        roundDelivered = 0
        stepDelivered = 0
    }

    /// Whether the round has gone `timeout` without a new share.
    func isStalled(now: NIODeadline, timeout: TimeAmount) -> Bool {
        guard roundPeer != nil, let last = lastRoundProgress else { return false }
        return now - last >= timeout
    }

    mutating func hashesReceived(all: [ShareHash], unknown: [ShareHash], limit: Int) {
        awaitingHashes = false
        queue = unknown
        stepUnknown = unknown.count
        roundWasFull = all.count >= limit
        roundLast = all.last
    }

    /// Batches to request now: peers with fewer than `perPeer` batches in flight
    /// take the next `batch` hashes.
    mutating func assign(eligible: [PeerID], batch: Int, perPeer: Int) -> [(PeerID, [ShareHash])] {
        var out: [(PeerID, [ShareHash])] = []
        if let rp = roundPeer, !roundPeerQueue.isEmpty, inflight[rp, default: []].count < perPeer {
            let b = Array(roundPeerQueue.prefix(batch))
            roundPeerQueue.removeFirst(b.count)
            inflight[rp, default: []].append(b)
            out.append((rp, b))
        }
        var progress = true
        while !queue.isEmpty && progress {
            progress = false
            for p in eligible where !queue.isEmpty && inflight[p, default: []].count < perPeer {
                let b = Array(queue.prefix(batch))
                queue.removeFirst(b.count)
                inflight[p, default: []].append(b)
                out.append((p, b))
                progress = true
            }
        }
        return out
    }

    /// A sync `shares` answer from `peer` (answers arrive in request order).
    /// `hashes`: the requested shares it contained (orphans included, rejected ones not).
    mutating func sharesReceived(from peer: PeerID, hashes: Set<ShareHash>, now: NIODeadline) {
        guard var batches = inflight[peer], !batches.isEmpty else { return }
        let batch = batches.removeFirst()
        inflight[peer] = batches.isEmpty ? nil : batches
        let delivered = batch.count(where: { hashes.contains($0) })
        fetched += delivered
        if delivered > 0 {
            roundDelivered += delivered
            stepDelivered += delivered
            lastRoundProgress = now
        }
        let missing = batch.filter { !hashes.contains($0) }
        if peer != roundPeer { roundPeerQueue.append(contentsOf: missing) }
    }

    /// A peer left: its batches go back to the queue; returns true if it was the round peer (round aborted).
    mutating func peerGone(_ peer: PeerID) -> Bool {
        if peer == roundPeer {
            reset()
            return true
        }
        if let batches = inflight.removeValue(forKey: peer) { queue.insert(contentsOf: batches.joined(), at: 0) }
        return false
    }

    /// Whether every hash of the round has been answered.
    var roundComplete: Bool {
        roundPeer != nil && !awaitingHashes && queue.isEmpty && roundPeerQueue.isEmpty && inflight.isEmpty
    }

    /// Ends the round; returns the hash to continue after when the round was full and
    /// either delivered at least one new share or named only shares we already have (a
    /// side branch we hold). A full round of hashes nobody delivers is not followed: it
    /// could go on forever. (Rounds of known hashes that never lead anywhere end by the
    /// stall timeout, which only a new share resets.)
    mutating func finishRound() -> ShareHash? {
        let next = roundWasFull && (stepDelivered > 0 || stepUnknown == 0) ? roundLast : nil
        guard next != nil else {
            reset()
            return nil
        }
        let (total, progress) = (roundDelivered, lastRoundProgress)
        let peer = roundPeer
        reset()
        if let peer, let progress {
            begin(with: peer, now: progress)
            roundDelivered = total
        }
        return next
    }

    mutating func reset() {
        roundPeer = nil
        awaitingHashes = false
        queue = []
        roundPeerQueue = []
        inflight = [:]
        roundWasFull = false
        roundLast = nil
        lastRoundProgress = nil
        stepDelivered = 0
        stepUnknown = 0
    }
}
