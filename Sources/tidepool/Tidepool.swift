import ArgumentParser

@main
struct Tidepool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidepool",
        abstract: "A peer-to-peer sharechain node for Bitcoin mining with TIDES payouts.",
        subcommands: [TidesSubcommand.self])
}
