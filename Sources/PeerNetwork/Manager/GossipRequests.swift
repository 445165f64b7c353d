import NIOCore
import Sharechain
import SharechainService

/// Which peers announced which missing shares, and whom each is asked from. Pure:
/// callers pass the time.
///
/// Stops `inv` withholding: a peer that announces a share and then answers without
/// it (or not at all) no longer blocks the share for the request timeout. Up to
/// `maxAnnouncers` announcers are remembered per hash; when the asked one answers
/// without the share, leaves, or times out, the next one is asked at once.
struct GossipRequests: Sendable {
    /// Announcers remembered per hash.
    static let maxAnnouncers = 8
    /// Hashes tracked at once; announcements of further hashes are requested but their
    /// other announcers are not remembered.
    static let maxTracked = 16_384

    private struct Entry: Sendable {
        /// Peers that announced the hash and have not yet failed to deliver it, oldest first.
        var announcers: [PeerID] = []
        /// The peer asked, and until when its answer is awaited.
        var asked: (peer: PeerID, until: NIODeadline)?
    }

    private var entries: [ShareHash: Entry] = [:]

    var trackedCount: Int { entries.count }

    /// `peer` announced `hashes` (all unknown to the chain). Returns the ones to ask
    /// `peer` for now: those not already asked from someone whose answer is still awaited.
    mutating func announced(_ hashes: [ShareHash], by peer: PeerID, now: NIODeadline,
                            timeout: TimeAmount) -> [ShareHash] {
        var ask: [ShareHash] = []
        for h in hashes {
            var e = entries[h] ?? Entry()
            if entries[h] == nil && entries.count >= Self.maxTracked {
                // Full: behave as before this tracker (ask the announcer, remember nothing).
                ask.append(h)
                continue
            }
            if !e.announcers.contains(peer) && e.announcers.count < Self.maxAnnouncers { e.announcers.append(peer) }
            if e.asked.map({ $0.until <= now }) ?? true {
                e.asked = (peer, now + timeout)
                ask.append(h)
            }
            entries[h] = e
        }
        return ask
    }

    /// The share arrived (whatever its fate): stop tracking it.
    mutating func received(_ hash: ShareHash) { entries[hash] = nil }

    /// `peer` answered a request without `hashes` (or left, or timed out): it is
    /// dropped as their announcer and the next announcer is asked. Returns the new
    /// requests, grouped by peer; hashes nobody else announced are forgotten.
    mutating func failed(_ hashes: [ShareHash], by peer: PeerID, isConnected: (PeerID) -> Bool,
                         now: NIODeadline, timeout: TimeAmount) -> [PeerID: [ShareHash]] {
        var out: [PeerID: [ShareHash]] = [:]
        for h in hashes {
            guard var e = entries[h] else { continue }
            e.announcers.removeAll { $0 == peer || !isConnected($0) }
            guard e.asked == nil || e.asked?.peer == peer else {
                entries[h] = e  // someone else is being asked already
                continue
            }
            if let next = e.announcers.first {
                e.asked = (next, now + timeout)
                out[next, default: []].append(h)
                entries[h] = e
            } else {
                entries[h] = nil
            }
        }
        return out
    }

    /// `peer` left: every hash asked from it goes to the next announcer.
    mutating func peerGone(_ peer: PeerID, isConnected: (PeerID) -> Bool, now: NIODeadline,
                           timeout: TimeAmount) -> [PeerID: [ShareHash]] {
        let asked = entries.compactMap { $0.value.asked?.peer == peer ? $0.key : nil }
        for (h, var e) in entries where e.announcers.contains(peer) && e.asked?.peer != peer {
            e.announcers.removeAll { $0 == peer }
            entries[h] = e
        }
        return failed(asked, by: peer, isConnected: isConnected, now: now, timeout: timeout)
    }

    /// Requests whose answer is overdue: `(peer, hashes)` to hand to `failed`.
    func overdue(now: NIODeadline) -> [PeerID: [ShareHash]] {
        var out: [PeerID: [ShareHash]] = [:]
        for (h, e) in entries { if let a = e.asked, a.until <= now { out[a.peer, default: []].append(h) } }
        return out
    }
}
