import Foundation
import Logging
import TidepoolTestSupport
@testable import BitcoinRPC

/// A logger that drops everything.
let quietLogger = Logger.quiet()

struct BadVector: Error {
    let name: String
}

/// A JSON vector from Tests/BitcoinRPCTests/Vectors.
func vector(_ name: String) throws -> JSONValue {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors"),
          let json = JSONValue(parsing: Array(try Data(contentsOf: url))) else { throw BadVector(name: name) }
    return json
}

/// A devnet server on 127.0.0.1 running in a task, and a way to stop it.
struct RunningServer {
    let server: DevnetRPCServer
    let task: Task<Void, any Error>

    static func start(chain: SharedDevnetChain, port: Int = 0, user: String = "alice",
                      password: String = "secret") async throws -> RunningServer {
        let server = try await DevnetRPCServer.bind(host: "127.0.0.1", port: port, chain: chain, user: user,
                                                    password: password, logger: quietLogger)
        return RunningServer(server: server, task: Task { try await server.run() })
    }

    var port: Int { server.port }

    /// Cancels the server and waits (bounded) until it has closed its sockets.
    func stop() async throws {
        task.cancel()
        let t = task
        _ = try await withTimeout(20) { _ = await t.result }
    }
}

func makeClient(port: Int, credentials: RPCCredentials = .userPassword(user: "alice", password: "secret"),
                timeout: Duration = .seconds(5), maxResponseSize: Int = BitcoinRPCConfiguration.defaultMaxResponseSize)
    -> BitcoinRPCClient
{
    BitcoinRPCClient(configuration: BitcoinRPCConfiguration(
        host: "127.0.0.1", port: port, credentials: credentials, network: .regtest,
        callTimeout: timeout, connectTimeout: .seconds(2), maxResponseSize: maxResponseSize),
        logger: quietLogger)
}
