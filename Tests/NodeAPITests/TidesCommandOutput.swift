import TIDES
import TidepoolCommands

/// The `tidepool tides` rendering the payouts route must match byte for byte.
enum TidesCommandOutput {
    static func expected(_ split: TidesSplit) -> String { TidesCommand.render(split) }
}
