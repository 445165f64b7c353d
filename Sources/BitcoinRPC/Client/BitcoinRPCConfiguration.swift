import BitcoinPrimitives

/// Where bitcoind's RPC server is and how to talk to it.
public struct BitcoinRPCConfiguration: Sendable, Equatable {
    /// Host name or address of bitcoind's RPC server.
    public var host: String
    /// RPC port (8332 mainnet, 48332 testnet4, 38332 signet, 18443 regtest).
    public var port: Int
    /// HTTP path of requests; `/` or e.g. `/wallet/name`.
    public var path: String
    /// Cookie file or user/password.
    public var credentials: RPCCredentials
    /// The network bitcoind runs (decides the `getblocktemplate` rules).
    public var network: BitcoinNetwork
    /// Longest wait for one call's answer.
    public var callTimeout: Duration
    /// Longest wait for a TCP connection.
    public var connectTimeout: Duration
    /// Largest answer accepted, in bytes; larger answers fail with `responseTooLarge`.
    public var maxResponseSize: Int

    /// 32 MiB: several times the largest `getblocktemplate` answer of a full block.
    public static let defaultMaxResponseSize = 32 << 20

    /// Creates a configuration.
    public init(host: String, port: Int, path: String = "/", credentials: RPCCredentials,
                network: BitcoinNetwork, callTimeout: Duration = .seconds(30),
                connectTimeout: Duration = .seconds(5),
                maxResponseSize: Int = BitcoinRPCConfiguration.defaultMaxResponseSize) {
        self.host = host
        self.port = port
        self.path = path
        self.credentials = credentials
        self.network = network
        self.callTimeout = callTimeout
        self.connectTimeout = connectTimeout
        self.maxResponseSize = maxResponseSize
    }

    /// Parses `http://host:port[/path]` (the `--bitcoind-rpc` form); the port
    /// defaults to the network's RPC port. Nil for other schemes or a bad port.
    public init?(url: String, credentials: RPCCredentials, network: BitcoinNetwork) {
        var rest = Substring(url)
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) } else if rest.contains("://") { return nil }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let path = slash == rest.endIndex ? "/" : String(rest[slash...])
        var host = String(authority)
        var port = BitcoinRPCConfiguration.defaultPort(network)
        if authority.hasPrefix("[") {  // [IPv6]:port
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let tail = authority[authority.index(after: close)...]
            if tail.hasPrefix(":") {
                guard let p = Int(tail.dropFirst()), (1...65535).contains(p) else { return nil }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            host = String(authority[..<colon])
            port = p
        }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port, path: path, credentials: credentials, network: network)
    }

    /// bitcoind's default RPC port of a network.
    public static func defaultPort(_ network: BitcoinNetwork) -> Int {
        switch network {
        case .mainnet: return 8332
        case .testnet4: return 48332
        case .signet: return 38332
        case .regtest: return 18443
        }
    }

    /// The `rules` argument of `getblocktemplate`: `segwit`, plus `signet` on signet.
    public var templateRules: [String] { network == .signet ? ["segwit", "signet"] : ["segwit"] }
}
