import BitcoinPrimitives
import BitcoinRPC
import Ed25519
import Foundation
import Sharechain

/// Everything `tidepool run` needs, validated (Docs/HTTP-API.md).
public struct NodeConfiguration: Sendable {
    public var network: SharechainNetwork
    /// The data directory (one per network).
    public var dataDirectory: String
    /// bitcoind's JSON-RPC endpoint.
    public var bitcoindURL: String
    public var bitcoindCredentials: RPCCredentials
    public var stratum: HostPort
    public var p2p: HostPort
    public var api: HostPort
    public var peers: [HostPort]
    /// Password and node-key allowlist of a private network.
    public var privateNetwork: PrivateNetwork
    /// Fork depth N override (policy, not consensus; regtest and devnet only): the deepest
    /// fork the node considers and the shares it keeps whole below its tip before pruning.
    public var forkDepth: UInt32?
    /// Shares pruned at a time once they can go (default `RetentionPolicy`'s 1,000).
    public var pruneBatch: UInt32?
    /// Share and TIDES consensus parameters (standard for the network plus the private
    /// settings and the fork-depth policy).
    public var parameters: SharechainParameters {
        var p = SharechainParameters.standard(network)
        p.privateNetwork = privateNetwork
        if let forkDepth { p.maximumForkDepth = forkDepth }
        return p
    }

    /// How much of the sharechain the node keeps (Docs/PROTOCOL.md §10).
    public var retention: RetentionPolicy {
        RetentionPolicy(forkDepth: parameters.maximumForkDepth, batchShares: pruneBatch ?? RetentionPolicy.defaultBatchShares)
    }

    /// The range `fork-depth` accepts: at least the 11 shares the median-time-past rule
    /// reads, at most a week of 2 s shares.
    public static let forkDepthRange: ClosedRange<UInt32> = 11...302_400

    public init(network: SharechainNetwork, dataDirectory: String, bitcoindURL: String,
                bitcoindCredentials: RPCCredentials, stratum: HostPort, p2p: HostPort, api: HostPort,
                peers: [HostPort] = [], privateNetwork: PrivateNetwork = PrivateNetwork()) {
        self.network = network
        self.dataDirectory = dataDirectory
        self.bitcoindURL = bitcoindURL
        self.bitcoindCredentials = bitcoindCredentials
        self.stratum = stratum
        self.p2p = p2p
        self.api = api
        self.peers = peers
        self.privateNetwork = privateNetwork
    }

    /// Default ports per network: Stratum, P2P, API.
    public static func defaultPorts(_ network: SharechainNetwork) -> (stratum: Int, p2p: Int, api: Int) {
        switch network {
        case .mainnet: return (3333, 9338, 8338)
        case .testnet4: return (13333, 19338, 18338)
        case .signet: return (23333, 29338, 28338)
        case .regtest: return (33333, 39338, 38338)
        case .devnet: return (43333, 49338, 48338)
        }
    }

    /// Default bitcoind RPC port per network.
    public static func defaultBitcoindPort(_ network: SharechainNetwork) -> Int {
        switch network {
        case .mainnet: return 8332
        case .testnet4: return 48332
        case .signet: return 38332
        case .regtest, .devnet: return 18443
        }
    }

    /// Builds a configuration from named settings (flags over file), with a
    /// one-line error for anything missing or malformed.
    ///
    /// Names: network, datadir, bitcoind-rpc, bitcoind-cookie, bitcoind-user,
    /// bitcoind-password, stratum, p2p, api, peer (repeatable),
    /// private-password, allow-node-key (repeatable, 64 hex digits), fork-depth and
    /// prune-batch (retention policy; fork-depth on regtest and devnet only).
    public static func resolve(flags: ConfigFile, file: ConfigFile?, home: String) throws(ConfigurationError) -> NodeConfiguration {
        func value(_ name: String) -> String? { flags.value(name) ?? file?.value(name) }
        func values(_ name: String) -> [String] {
            let fromFlags = flags.values(name)
            return fromFlags.isEmpty ? (file?.values(name) ?? []) : fromFlags
        }
        guard let networkName = value("network") else { throw .missing("--network (mainnet, testnet4, signet, regtest, devnet)") }
        guard let network = SharechainNetwork(rawValue: networkName) else {
            throw .invalid("unknown network \"\(networkName)\" (mainnet, testnet4, signet, regtest, devnet)")
        }
        let ports = defaultPorts(network)
        let datadir = value("datadir") ?? "\(home)/.tidepool/\(network.rawValue)"
        let url = value("bitcoind-rpc") ?? "http://127.0.0.1:\(defaultBitcoindPort(network))"
        guard url.hasPrefix("http://") else { throw .invalid("--bitcoind-rpc \(url): expected http://HOST:PORT") }
        let credentials: RPCCredentials
        switch (value("bitcoind-cookie"), value("bitcoind-user"), value("bitcoind-password")) {
        case (let cookie?, nil, nil): credentials = .cookieFile(path: cookie)
        case (nil, let user?, let password?): credentials = .userPassword(user: user, password: password)
        case (nil, nil, nil):
            guard network != .devnet else { credentials = .userPassword(user: "tidepool", password: "devnet"); break }
            throw .missing("--bitcoind-cookie FILE or --bitcoind-user U --bitcoind-password P")
        default:
            throw .invalid("give either --bitcoind-cookie or both --bitcoind-user and --bitcoind-password")
        }
        func endpoint(_ text: String, _ role: HostPort.Role) throws(ConfigurationError) -> HostPort {
            do { return try HostPort(parsing: text, role: role) } catch { throw .invalid(error.description) }
        }
        let stratum = try endpoint(value("stratum") ?? "0.0.0.0:\(ports.stratum)", .listen)
        let p2p = try endpoint(value("p2p") ?? "0.0.0.0:\(ports.p2p)", .listen)
        let api = try endpoint(value("api") ?? "127.0.0.1:\(ports.api)", .listen)
        var peers: [HostPort] = []
        for p in values("peer") { peers.append(try endpoint(p, .connect)) }
        var allowed: Set<PublicKey>?
        let keys = values("allow-node-key")
        if !keys.isEmpty {
            var set = Set<PublicKey>()
            for k in keys {
                guard let key = PublicKey(hex: k) else { throw .invalid("--allow-node-key \(k): expected 64 hex digits") }
                set.insert(key)
            }
            allowed = set
        }
        var configuration = NodeConfiguration(
            network: network, dataDirectory: datadir, bitcoindURL: url, bitcoindCredentials: credentials,
            stratum: stratum, p2p: p2p, api: api, peers: peers,
            privateNetwork: PrivateNetwork(password: value("private-password"), allowedNodeKeys: allowed))
        if let text = value("fork-depth") {
            guard network == .regtest || network == .devnet else {
                throw .invalid("--fork-depth is for regtest and devnet only (a public network's nodes must keep the same history)")
            }
            guard let depth = UInt32(text), forkDepthRange.contains(depth) else {
                throw .invalid("--fork-depth \(text): expected \(forkDepthRange.lowerBound)...\(forkDepthRange.upperBound) shares")
            }
            configuration.forkDepth = depth
        }
        if let text = value("prune-batch") {
            guard let batch = UInt32(text), (1...1_000_000).contains(batch) else {
                throw .invalid("--prune-batch \(text): expected 1...1000000 shares")
            }
            configuration.pruneBatch = batch
        }
        return configuration
    }
}
