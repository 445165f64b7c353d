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

    public init(parameters: SharechainParameters) { self.parameters = parameters }
}
