import PeerProtocol

/// Which gossip-learned addresses to dial next (issue 11 item 6, Docs/SECURITY.md
/// "Peer-to-peer"), in the spirit of Bitcoin Core's address manager, in small:
///
/// - **Diversity**: at most one outbound connection per network group (/16 IPv4, /32
///   IPv6), so an attacker with one subnet — however many addresses it advertises — holds
///   at most one of the node's outbound slots. Loopback and, where private addresses are
///   allowed (devnet, regtest), non-public addresses are exempt: test networks run on one
///   machine.
/// - **No fixed order**: the candidates (the 256 most recently seen of each table; gossip
///   cannot make an address look newer than its receipt minus two hours) are taken in a
///   random order, so whoever floods the book does not decide who is dialed next.
/// - **Tried and new** (``AddressTables``): each pick takes from the tried table (peers this
///   node has connected to before) or the new table (heard of only) with even odds, so a
///   flood of fresh gossip cannot crowd out proven peers.
/// - **Anchors**: the first outbound connections after a restart go to the (at most
///   ``anchorCount``) peers that were connected at the last shutdown.
/// - **Forgetting**: a gossip-learned address that failed `maximumFailures` dials in a
///   row is removed from the address book (static `--peer` addresses never are).
public struct OutboundSelection: Sendable {
    /// Consecutive failed dials after which a gossip-learned address is forgotten.
    public static let maximumFailures = 3
    /// Candidates read from each table per round.
    public static let candidatesPerTable = 256
    /// Outbound peers remembered at shutdown and dialed first at the next start (as
    /// Bitcoin Core's two block-relay-only anchors).
    public static let anchorCount = 2

    public var allowPrivateAddresses: Bool

    public init(allowPrivateAddresses: Bool) { self.allowPrivateAddresses = allowPrivateAddresses }

    /// Whether `host`'s network group counts toward the one-per-group rule.
    public func isGroupLimited(_ host: String) -> Bool {
        let ip = PeerHost.canonical(host)
        if PeerHost.isLoopback(ip) { return false }
        if allowPrivateAddresses && PeerHost.isNonPublic(ip) { return false }
        return true
    }

    /// Candidates to dial, in a random order, at most one per network group not already in
    /// `busyGroups`, none of `excluded`.
    public func order<G: RandomNumberGenerator>(_ candidates: [PeerAddress], busyGroups: Set<String>,
                                                excluded: (PeerAddress) -> Bool,
                                                using generator: inout G) -> [PeerAddress] {
        var groups = busyGroups
        var out: [PeerAddress] = []
        for a in candidates.filter({ !excluded($0) }).shuffled(using: &generator) {
            if isGroupLimited(a.host) {
                let g = PeerHost.group(a.host)
                guard groups.insert(g).inserted else { continue }
            }
            out.append(a)
        }
        return out
    }

    /// Candidates to dial from both tables: shuffled each, then interleaved by a fair coin
    /// per pick (the other table once one runs out), then `order`'s group and exclusion rules.
    public func order<G: RandomNumberGenerator>(tried: [PeerAddress], new: [PeerAddress], busyGroups: Set<String>,
                                                excluded: (PeerAddress) -> Bool,
                                                using generator: inout G) -> [PeerAddress] {
        var a = tried.shuffled(using: &generator)[...]
        var b = new.shuffled(using: &generator)[...]
        var mixed: [PeerAddress] = []
        mixed.reserveCapacity(a.count + b.count)
        while !a.isEmpty || !b.isEmpty {
            let fromTried = b.isEmpty || (!a.isEmpty && Bool.random(using: &generator))
            mixed.append(fromTried ? a.removeFirst() : b.removeFirst())
        }
        var groups = busyGroups
        var out: [PeerAddress] = []
        for c in mixed where !excluded(c) {
            if isGroupLimited(c.host) {
                guard groups.insert(PeerHost.group(c.host)).inserted else { continue }
            }
            out.append(c)
        }
        return out
    }
}
