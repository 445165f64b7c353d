import NIOCore
import Sharechain
import StratumProtocol

/// How a `StratumServer` listens and treats miners.
public struct StratumServerConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port to listen on (0: any free port; see `StratumServer.bind()`).
    public var port: Int
    /// The node's network (payout address format, difficulty rules).
    public var network: SharechainNetwork
    /// Vardiff rules (default: the network's standard policy).
    public var vardiff: VardiffPolicy
    /// How each connection's coinbase size class is chosen (Docs/FIRMWARE.md).
    public var coinbaseSizeClasses = CoinbaseSizeClassPolicy()
    /// Longest accepted line in bytes; a longer one closes the connection.
    public var maximumLineLength: Int = 16 * 1024
    /// How often each connection's vardiff is checked while the miner is quiet.
    public var tickInterval: TimeAmount = .seconds(10)
    /// Most distinct payout scripts one IP address may mine to at once: each costs the
    /// node a TIDES split, a coinbase and a job on every new tip. A connection that would
    /// exceed it is closed after authorizing.
    public var maximumPayoutScriptsPerIP: Int = 64
    /// Outbound buffer per connection: over `high` bytes unsent the connection stops
    /// reading requests, under `low` it reads again (backpressure).
    public var writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 32 * 1024, high: 128 * 1024)
    /// A connection whose outbound buffer stays over the high water mark this long (the
    /// miner reads nothing) is closed.
    public var notReadingTimeout: TimeAmount = .seconds(30)
    /// Listen backlog.
    public var backlog: Int32 = 4096
    /// Most open connections (each holds a file descriptor the store and peers need too);
    /// more are closed at accept.
    public var maximumConnections: Int = 20_000
    /// Most open connections from one IP address (a home miner's LAN shows each device's
    /// address; a public node sees one per NAT).
    public var maximumConnectionsPerIP: Int = 1_000
    /// Told the outcome of every `mining.submit` as it is answered (e.g. metrics): nil
    /// when the pseudo-share was accepted, else why it was rejected. Called on the
    /// connection's event loop, so it must be quick.
    public var onSubmit: (@Sendable (_ rejected: StratumRejectReason?) -> Void)?

    /// A configuration with the network's standard vardiff policy.
    public init(host: String, port: Int, network: SharechainNetwork, vardiff: VardiffPolicy? = nil) {
        self.host = host
        self.port = port
        self.network = network
        self.vardiff = vardiff ?? .standard(for: network)
    }
}

extension VardiffPolicy {
    /// The standard policy for a sharechain network: that of the Bitcoin network it mines
    /// (devnet mines regtest, so it gets regtest's fractional difficulties).
    public static func standard(for network: SharechainNetwork) -> VardiffPolicy {
        standard(for: network.bitcoinNetwork)
    }
}
