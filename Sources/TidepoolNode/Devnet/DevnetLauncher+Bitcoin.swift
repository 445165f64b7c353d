import BitcoinPrimitives
import BitcoinRPC
import DevnetBitcoin
import NIOPosix

extension DevnetLauncher {
    /// The Bitcoin side of a run: where the nodes find bitcoind, and the simulator's
    /// server task when the chain is the built-in one.
    struct BitcoinSide {
        var url: String
        var user: String
        var password: String
        /// The `--network` the nodes run (`regtest` with a real bitcoind, else `devnet`).
        var network: String
        var server: Task<Void, Error>?
    }

    /// A real regtest bitcoind (`--bitcoind`), or the devnet chain served in-process.
    func startBitcoin(group: MultiThreadedEventLoopGroup) async throws -> BitcoinSide {
        if let url = options.bitcoindURL {
            output("devnet: using bitcoind at \(url) (regtest)")
            return BitcoinSide(url: url, user: options.bitcoindUser ?? "", password: options.bitcoindPassword ?? "",
                               network: "regtest", server: nil)
        }
        let chain = SharedDevnetChain(DevnetChain(parameters: DevnetParameters(
            targetBlockInterval: 10, initialBits: CompactTarget(rawValue: 0x1e07_ffff))))
        let server = try await DevnetRPCServer.bind(chain: chain, user: "tidepool", password: "devnet",
                                                    eventLoopGroup: group, logger: logger)
        let task = Task { try await server.run() }
        output("devnet: simulated Bitcoin chain on 127.0.0.1:\(server.port) (10 s blocks)")
        return BitcoinSide(url: "http://127.0.0.1:\(server.port)", user: "tidepool", password: "devnet",
                           network: "devnet", server: task)
    }

    /// The launcher's own RPC client (block count, block checks in the verdict).
    func rpcClient(for bitcoin: BitcoinSide, group: MultiThreadedEventLoopGroup) throws -> BitcoinRPCClient {
        guard let config = BitcoinRPCConfiguration(url: bitcoin.url, credentials: .userPassword(user: bitcoin.user, password: bitcoin.password),
                                                   network: .regtest) else {
            throw NodeStartError.invalid("--bitcoind \(bitcoin.url) is not http://HOST:PORT")
        }
        return BitcoinRPCClient(configuration: config, eventLoopGroup: group, logger: logger)
    }
}
