import ArgumentParser
import Foundation
import TidepoolCommands

/// `tidepool tides`: reads one JSON request on stdin, writes the split on stdout.
struct TidesSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tides",
        abstract: "Compute a TIDES payout split from JSON on stdin (see Docs/TIDES.md).",
        discussion: """
            Input:  {"reward": SAT, "network_bits": "HEX8", "lottery_seed": "HEX64",
                     "shares": [{"script": "HEX" | "address": "ADDR", "bits": "HEX8"}, ...]}
                    newest share first; optional window_multiplier, dust_limit,
                    payout_budget_bytes, network.
            Output: {"outputs": [{"script", "amount"}...], "window_work", "lottery": {"pool", "winner"}}
            Bad input: one line on stderr, exit status 2.
            """)

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        do {
            let output = try TidesCommand.run(input: Array(input))
            print(output)
        } catch {
            FileHandle.standardError.write(Data("tidepool tides: error: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
