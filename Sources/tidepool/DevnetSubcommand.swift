import ArgumentParser
import Dispatch
import Foundation
import Logging
import Synchronization
import TidepoolNode

/// `tidepool devnet`: a local multi-node network with CPU miners in one command.
struct DevnetSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devnet",
        abstract: "Run a local multi-node Tidepool network with built-in CPU miners.")

    @Option(help: "Number of nodes.") var nodes: Int = 3
    @Option(name: .customLong("miners-per-node"), help: "CPU miners per node.") var minersPerNode: Int = 1
    @Option(help: "Seconds to run (0: until Ctrl-C).") var duration: Int = 120
    @Option(help: "Use a real regtest bitcoind at this URL instead of the built-in chain.") var bitcoind: String?
    @Option(name: .customLong("bitcoind-user")) var bitcoindUser: String?
    @Option(name: .customLong("bitcoind-password")) var bitcoindPassword: String?
    @Option(name: .customLong("workdir"), help: "Directory for node data and logs (default: a new temporary one).") var workDirectory: String?

    @Option(name: .customLong("kill-node"), help: ArgumentHelp("Fault injection: SIGKILL this node (1-based) mid-run and restart it.", visibility: .hidden))
    var killNode: Int?
    @Option(name: .customLong("kill-after"), help: ArgumentHelp("Seconds before the kill.", visibility: .hidden)) var killAfter: Int = 20
    @Option(name: .customLong("kill-down"), help: ArgumentHelp("Seconds the killed node stays down.", visibility: .hidden)) var killDown: Int = 5

    @Option(name: .customLong("fork-depth"), help: "Fork depth N of every node, in shares (small values make nodes prune within minutes).")
    var forkDepth: Int?
    @Option(name: .customLong("prune-batch"), help: "Shares each node prunes at a time.") var pruneBatch: Int?
    @Option(name: .customLong("late-node-after"), help: "Start one more node, empty and without a miner, after this many seconds.")
    var lateNodeAfter: Int?

    func validate() throws {
        guard (1...16).contains(nodes) else { throw ValidationError("--nodes must be 1–16") }
        guard (0...16).contains(minersPerNode) else { throw ValidationError("--miners-per-node must be 0–16") }
        guard duration >= 0 else { throw ValidationError("--duration must be ≥ 0") }
        if let d = forkDepth, !(11...302_400).contains(d) { throw ValidationError("--fork-depth must be 11–302400") }
        if let b = pruneBatch, !(1...1_000_000).contains(b) { throw ValidationError("--prune-batch must be 1–1000000") }
        if let a = lateNodeAfter, a < 0 { throw ValidationError("--late-node-after must be ≥ 0") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = .warning
            return h
        }
        var options = DevnetLauncher.Options()
        options.nodes = nodes
        options.minersPerNode = minersPerNode
        options.duration = duration == 0 ? nil : duration
        options.bitcoindURL = bitcoind
        options.bitcoindUser = bitcoindUser
        options.bitcoindPassword = bitcoindPassword
        options.workDirectory = workDirectory
        options.forkDepth = forkDepth
        options.pruneBatch = pruneBatch
        options.lateNodeAfter = lateNodeAfter
        if let n = killNode { options.killAndRestart = (node: n, after: killAfter, down: killDown) }
        let flag = StopFlag()
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { sig in
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { flag.stop() }
            s.resume()
            return s
        }
        defer { sources.forEach { $0.cancel() } }
        let launcher = DevnetLauncher(options: options, executable: Self.selfPath(), logger: Logger(label: "tidepool.devnet"),
                                      output: { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) })
        let summary = try await launcher.run(stop: { flag.isStopped })
        launcher.report(summary)
        if !summary.passed { throw ExitCode(1) }
    }

    static func selfPath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// A stop request shared with the signal handlers.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func stop() { value.store(true, ordering: .relaxed) }
    var isStopped: Bool { value.load(ordering: .relaxed) }
}
