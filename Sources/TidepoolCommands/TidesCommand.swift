import BitcoinPrimitives
import TIDES

/// `tidepool tides`: one JSON request in, one JSON split out (Docs/TIDES.md §1).
public enum TidesCommand {
    /// Computes the split for a JSON request and returns the JSON response.
    public static func run(input: [UInt8]) throws(TidesCommandError) -> String {
        let request = try TidesRequest(json: input)
        let split: TidesSplit
        do {
            split = try Tides.split(
                reward: request.reward, networkTarget: request.networkTarget,
                sharesNewestFirst: request.shares, parameters: request.parameters,
                lotterySeed: request.lotterySeed)
        } catch {
            throw .tides(error.description)
        }
        return render(split)
    }

    /// The response JSON: `outputs` in coinbase order, `window_work` in decimal,
    /// `lottery` with its pool and winner script (or null).
    public static func render(_ split: TidesSplit) -> String {
        var out = "{\"outputs\":["
        out += split.outputs.map { "{\"script\":\"\($0.script.hex)\",\"amount\":\($0.amount.satoshis)}" }
            .joined(separator: ",")
        out += "],\"window_work\":\"\(split.windowWork)\",\"lottery\":{\"pool\":\(split.budgeted.lotteryPool.satoshis),"
        if let winner = split.budgeted.lotteryWinner {
            out += "\"winner\":\"\(winner.hex)\"}}"
        } else {
            out += "\"winner\":null}}"
        }
        return out
    }
}
