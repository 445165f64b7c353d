import ArgumentParser
import BitcoinPrimitives
import Foundation
import Logging
import Sharechain
import SharechainStore
import TidepoolCommands
import TidepoolNode

/// `tidepool audit`: recompute a share's or a found block's coinbase from the local chain.
struct AuditSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Recompute a share's or a found block's TIDES coinbase from the local chain and compare.",
        discussion: """
            Reads a stopped node's data directory. Prints one JSON object; exit status 0 when the
            coinbase matches, 1 when it does not, 2 on bad input. A block this node found that
            is not a sharechain share is audited from the node's found-block record.
            """)

    @Option(help: "mainnet, testnet4, signet, regtest or devnet.") var network: String
    @Option(help: "Data directory (default ~/.tidepool/NETWORK).") var datadir: String?
    @Option(help: "Share hash (display hex) to audit.") var share: String?
    @Option(name: .customLong("block-hex"), help: "A found block, serialized hex (as `getblock HASH 0` prints it).") var blockHex: String?
    @Option(name: .customLong("private-password")) var privatePassword: String?
    @Option(name: .customLong("allow-node-key")) var allowNodeKeys: [String] = []

    func run() throws {
        func fail(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("tidepool audit: error: \(message)\n".utf8))
            return ExitCode(2)
        }
        var flags: [(name: String, value: String)] = [("network", network)]
        if let datadir { flags.append(("datadir", datadir)) }
        if let privatePassword { flags.append(("private-password", privatePassword)) }
        for k in allowNodeKeys { flags.append(("allow-node-key", k)) }
        flags.append(("bitcoind-user", "unused"))
        flags.append(("bitcoind-password", "unused"))
        let config: NodeConfiguration
        do {
            config = try NodeConfiguration.resolve(flags: ConfigFile(entries: flags), file: nil,
                                                   home: FileManager.default.homeDirectoryForCurrentUser.path)
        } catch { throw fail(error.description) }
        let store: LevelDBShareStore
        do {
            store = try LevelDBShareStore(path: DataDirectory.storePath(in: config.dataDirectory),
                                          logger: Logger(label: "tidepool.audit", factory: { _ in SwiftLogNoOpLogHandler() }))
        } catch { throw fail("cannot open \(config.dataDirectory) (is the node still running?): \(error)") }
        do {
            var audit = try CoinbaseAudit(parameters: config.parameters, store: store, foundBlocks: store.foundBlocks)
            let report: CoinbaseAudit.Report
            switch (share, blockHex) {
            case (let text?, nil):
                guard let hash = ShareHash(displayHex: text) else { throw fail("--share must be 64 hex digits") }
                report = try audit.audit(share: hash)
            case (nil, let hex?):
                guard let bytes = Hex.decode(hex.trimmingCharacters(in: .whitespacesAndNewlines)),
                      let block = try? Block(serialized: bytes) else { throw fail("--block-hex is not a serialized block") }
                report = try audit.audit(block: block)
            default:
                throw fail("give exactly one of --share HASH or --block-hex HEX")
            }
            print(Self.render(report))
            if !report.matches { throw ExitCode(1) }
        } catch let error as CoinbaseAudit.Failure {
            throw fail(error.description)
        }
    }

    static func render(_ r: CoinbaseAudit.Report) -> String {
        var out = "{\"share\":\"\(r.share)\",\"height\":\(r.height),\"parent\":\"\(r.parent)\",\"is_block\":\(r.isBlock),"
        out += "\"expected_merkle_root\":" + (r.expectedMerkleRoot.map { "\"\($0)\"" } ?? "null") + ","
        out += "\"actual_merkle_root\":\"\(r.actualMerkleRoot)\","
        out += "\"block_outputs_match\":" + (r.blockOutputsMatch.map { "\($0)" } ?? "null") + ","
        out += "\"match\":\(r.matches),\"payouts\":\(TidesCommand.render(r.split))}"
        return out
    }
}
