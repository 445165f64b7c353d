import NIOCore
import PeerProtocol
import Sharechain

/// How a `PeerManager` listens, dials, bans and syncs.
public struct PeerManagerConfiguration: Sendable {
    public var parameters: SharechainParameters
    /// Listening address (`--p2p`); port 0 picks a free port. `listen: false` disables inbound.
    public var listenHost = "0.0.0.0"
    public var listenPort = 0
    public var listen = true
    /// `--peer` addresses: always dialed, reconnected with backoff.
    public var staticPeers: [PeerAddress] = []
    /// Outbound connections to keep, using gossip-learned addresses beyond the static ones (0: static only).
    public var outboundTarget = 8
    /// Most inbound connections accepted at once.
    public var inboundCap = 64
    /// How long a misbehaving address stays banned.
    public var banDuration: TimeAmount = .hours(24)
    /// First reconnect delay; doubles per failure up to `reconnectCap`.
    public var reconnectBase: TimeAmount = .seconds(1)
    public var reconnectCap: TimeAmount = .seconds(60)
    /// With no peer ahead of us after this long, the node counts as synced.
    public var syncGracePeriod: TimeAmount = .seconds(10)
    /// A sync round that delivers no new share for this long ends; its peer loses sync
    /// eligibility for `syncExclusion`.
    public var syncStallTimeout: TimeAmount = .seconds(30)
    /// How long a peer whose round stalled, or ended below the chain work its `version`
    /// claimed, is not chosen for sync again (by node key).
    public var syncExclusion: TimeAmount = .minutes(10)
    /// Ban-score points for a peer whose sync round ended below the chain work it claimed
    /// without delivering a single new share.
    public var syncOverclaimPenalty = 20
    /// After this long, `isSynced` latches as soon as sync has delivered no new share for
    /// `syncStallTimeout`, even while some peer still claims more work.
    public var syncMaxDuration: TimeAmount = .minutes(5)
    /// Shares per `getshares` during sync, and batches in flight per peer.
    public var syncBatchSize = 250
    public var syncBatchesPerPeer = 2
    /// How long an announced share stays requested from one peer before another may be asked.
    public var gossipRequestTimeout: TimeAmount = .seconds(10)
    /// Period of the dial/sync/ban housekeeping.
    public var maintenanceInterval: TimeAmount = .milliseconds(200)
    /// Period of the sync progress log line.
    public var progressInterval: TimeAmount = .seconds(2)
    public var timings = PeerTimings()
    public var userAgent = "tidepool/0.1"
    /// Told the number of established connections each time it changes (e.g. metrics);
    /// called on the manager's actor, so it must be quick.
    public var onPeerCountChange: (@Sendable (Int) -> Void)?
    /// Told once, the moment the initial sync completes (e.g. metrics); called on the
    /// manager's actor, so it must be quick. `syncCompletions` yields at the same moment.
    public var onSynced: (@Sendable () -> Void)?
    /// Whether gossiped and inbound-learned addresses may be loopback, private,
    /// link-local or otherwise non-public IPs. True by default on devnet and regtest
    /// (whose nodes run on one machine or a LAN), false elsewhere.
    public var allowPrivateAddresses: Bool
    /// Gossiped `last_seen` is not trusted: an address learned from `addr` is stored as
    /// seen at the time of receipt minus this, so it never outranks one this node
    /// connected to itself.
    public var gossipLastSeenPenalty: UInt64 = 2 * 3600
    /// Most inbound connections from one IP (loopback exempt).
    public var inboundPerIP = 4
    /// Most inbound connections from one network group (/16 IPv4, /32 IPv6; loopback exempt).
    public var inboundPerGroup = 8
    /// Whether loopback peers are exempt from `inboundPerIP` / `inboundPerGroup`
    /// (nodes of one machine: devnet, tests).
    public var loopbackExemptFromCaps = true
    /// Inbound peers that delivered the most useful shares, protected from eviction.
    public var evictionProtectedByShares = 4
    /// Inbound peers with the lowest measured ping time, protected from eviction.
    public var evictionProtectedByPingTime = 4

    public init(parameters: SharechainParameters) {
        self.parameters = parameters
        allowPrivateAddresses = parameters.network == .devnet || parameters.network == .regtest
    }
}
