import ArgumentParser

@main
struct Tidepool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidepool",
        abstract: "A peer-to-peer sharechain node for Bitcoin mining with TIDES payouts.",
        subcommands: [RunSubcommand.self, DevnetSubcommand.self, MineSubcommand.self, TidesSubcommand.self,
                      AuditSubcommand.self, SimulateSubcommand.self, StatusSubcommand.self])
}
