import TIDES
import TidepoolCommands

/// `/api/v1/payouts` is exactly the `tidepool tides` output form.
enum TidesCommandRendering {
    static func render(_ split: TidesSplit) -> String { TidesCommand.render(split) }
}
