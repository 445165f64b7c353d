import ArgumentParser
import Foundation
import Logging
import TidepoolNode

/// `tidepool run`: the node (Docs/HTTP-API.md). Flags win over the config file.
struct RunSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Tidepool node beside bitcoind.",
        discussion: """
            Every flag may also be given in a config file (--config FILE) as `name = value`,
            e.g. `network = regtest`, `peer = 192.0.2.7:39338` (repeat for lists).
            """)

    @Option(help: "Config file with `name = value` lines (flags win).") var config: String?
    @Option(help: "mainnet, testnet4, signet, regtest or devnet.") var network: String?
    @Option(help: "Data directory (default ~/.tidepool/NETWORK).") var datadir: String?
    @Option(name: .customLong("bitcoind-rpc"), help: "bitcoind JSON-RPC URL, e.g. http://127.0.0.1:8332") var bitcoindRPC: String?
    @Option(name: .customLong("bitcoind-cookie"), help: "bitcoind .cookie file.") var bitcoindCookie: String?
    @Option(name: .customLong("bitcoind-user"), help: "bitcoind RPC user.") var bitcoindUser: String?
    @Option(name: .customLong("bitcoind-password"), help: "bitcoind RPC password.") var bitcoindPassword: String?
    @Option(help: "Stratum HOST:PORT for miners.") var stratum: String?
    @Option(help: "Peer-to-peer HOST:PORT.") var p2p: String?
    @Option(help: "HTTP API HOST:PORT.") var api: String?
    @Option(name: .customLong("peer"), help: "A peer's HOST:PORT (repeatable).") var peers: [String] = []
    @Option(name: .customLong("private-password"), help: "Private network password.") var privatePassword: String?
    @Option(name: .customLong("allow-node-key"), help: "Node key allowed to publish (repeatable, 64 hex).") var allowNodeKeys: [String] = []
    @Option(name: .customLong("fork-depth"), help: "Fork depth N in shares (regtest/devnet only): the deepest fork considered and the shares kept whole before pruning.")
    var forkDepth: String?
    @Option(name: .customLong("prune-batch"), help: "Shares pruned at a time (default 1000).") var pruneBatch: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error.") var logLevel: String = "info"

    func run() async throws {
        var flags: [(name: String, value: String)] = []
        func add(_ name: String, _ value: String?) { if let value { flags.append((name, value)) } }
        add("network", network); add("datadir", datadir); add("bitcoind-rpc", bitcoindRPC)
        add("bitcoind-cookie", bitcoindCookie); add("bitcoind-user", bitcoindUser); add("bitcoind-password", bitcoindPassword)
        add("stratum", stratum); add("p2p", p2p); add("api", api); add("private-password", privatePassword)
        add("fork-depth", forkDepth); add("prune-batch", pruneBatch)
        for p in peers { add("peer", p) }
        for k in allowNodeKeys { add("allow-node-key", k) }
        let configuration: NodeConfiguration
        do {
            let file = try config.map { path throws(ConfigurationError) in try ConfigFile(path: path) }
            configuration = try NodeConfiguration.resolve(flags: ConfigFile(entries: flags), file: file,
                                                          home: FileManager.default.homeDirectoryForCurrentUser.path)
        } catch {
            throw ValidationError(error.description)
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "tidepool")
        do {
            let node = try await TidepoolNode(configuration: configuration, logger: logger)
            try await node.run(additionalServices: [])
        } catch let error as NodeStartError {
            logger.critical("\(error.description)")
            throw ExitCode(1)
        }
    }
}
