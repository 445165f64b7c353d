import ArgumentParser
import BitcoinPrimitives
import Foundation
import Logging
import StratumClient

/// `tidepool mine`: the built-in CPU miner, a standard Stratum v1 client.
struct MineSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mine",
        abstract: "Mine on the CPU against a Stratum v1 pool (a Tidepool node or any standard pool).",
        discussion: """
            Prints a status line every few seconds; reconnects with backoff when the pool goes away.
            Runs until interrupted.
            """)

    @Option(name: .long, help: "The pool, HOST:PORT.")
    var stratum: String

    @Option(name: .long, help: "Payout address, optionally followed by .WORKER.")
    var user: String

    @Option(name: .long, help: "Stratum password; d=N asks for a starting difficulty.")
    var password: String = "x"

    @Option(name: .long, help: "Hashing threads (default: one per core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Seconds between status lines.")
    var statusInterval: Int = 5

    @Flag(name: .long, help: "Log every Stratum line.")
    var verbose = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard statusInterval >= 1 else { throw ValidationError("--status-interval must be at least 1") }
        do { _ = try HostPort.pool(parsing: stratum) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let endpoint = try HostPort.pool(parsing: stratum)
        var logger = Logger(label: "tidepool.mine") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .trace : .info
        let miner = StratumMiner(
            configuration: .init(endpoint: endpoint,
                                 client: .init(user: user, password: password),
                                 threads: threads, statusInterval: .seconds(statusInterval)),
            logger: logger,
            onStatus: { status in FileHandle.standardOutput.write(Data("[mine] \(status)\n".utf8)) })
        await miner.run()  // until SIGINT/SIGTERM end the process
    }
}
