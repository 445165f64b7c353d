import ArgumentParser
import BitcoinPrimitives
import Foundation
import NIOPosix
import Sharechain
import TidepoolNode

/// `tidepool status`: the dashboard's numbers in the terminal, from a node's HTTP API.
struct StatusSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running node's statistics (hash rate, expected block time, luck, an address's payout).",
        discussion: "Reads /api/v1/status, /api/v1/stats and, with --address, /api/v1/miners/ADDRESS (Docs/HTTP-API.md).")

    @Option(help: "The node's --api HOST:PORT (default 127.0.0.1 and the network's API port).") var api: String?
    @Option(help: "Network for the default API port: mainnet, testnet4, signet, regtest or devnet.") var network: String = "mainnet"
    @Option(help: "Also show this payout address.") var address: String?
    @Flag(help: "Redraw every --interval seconds until interrupted.") var watch = false
    @Option(help: "Seconds between redraws with --watch.") var interval: Int = 15

    func run() async throws {
        guard let net = SharechainNetwork(rawValue: network) else {
            throw ValidationError("unknown network \(network)")
        }
        let target: HostPort
        do { target = try HostPort(parsing: api ?? "127.0.0.1:\(NodeConfiguration.defaultPorts(net).api)", role: .connect) } catch {
            throw ValidationError("--api: \(error)")
        }
        let http = LocalHTTPClient(group: MultiThreadedEventLoopGroup.singleton)
        repeat {
            let text: String
            do { text = try await snapshot(http, target) } catch { text = "tidepool status: \(error)" }
            if watch { print("\u{1B}[H\u{1B}[2J", terminator: "") }
            print(text)
            if !watch { if text.hasPrefix("tidepool status:") { throw ExitCode(1) } else { return } }
            try await Task.sleep(for: .seconds(max(1, interval)))
        } while true
    }

    private func snapshot(_ http: LocalHTTPClient, _ target: HostPort) async throws -> String {
        func object(_ path: String) async throws -> [String: Any] {
            let (code, body) = try await http.get(host: target.host, port: target.port, path: path)
            let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            guard code == 200, let json else {
                throw StatusFailure(description: "\(path): HTTP \(code) \(json?["error"] as? String ?? "")")
            }
            return json
        }
        let status = try await object("/api/v1/status")
        let stats = try await object("/api/v1/stats")
        var miner: [String: Any]?
        if let address {
            let escaped = address.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? address
            miner = try await object("/api/v1/miners/\(escaped)")
        }
        return StatusView.render(status: status, stats: stats, miner: miner)
    }
}

/// A failed API call, in one line.
struct StatusFailure: Error, CustomStringConvertible { let description: String }
