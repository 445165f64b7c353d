import BitcoinPrimitives
import Foundation
import TIDES
import Testing

/// The 200 reference vectors of the independent Python implementation
/// (`Vectors/tides_reference.py`), replayed against the core's `Tides.split` itself:
/// every output, the window work and the lottery must match to the satoshi.
@Suite struct ReferenceVectorTests {
    struct Case {
        var reward: Amount
        var networkTarget: UInt256
        var shares: [TidesShare]
        var parameters: TidesParameters
        var seed: Hash256
        var outputs: [(script: String, amount: Int64)]
        var windowWork: String
        var lotteryPool: Int64
        var lotteryWinner: String?
    }

    struct Malformed: Error, CustomStringConvertible { var description: String }

    /// The value, or an error naming what the vector file lacks.
    static func need<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw Malformed(description: "vector file: \(what) missing or malformed") }
        return value
    }

    static func cases() throws -> [Case] {
        let url = try need(Bundle.module.url(forResource: "tides_vectors", withExtension: "json", subdirectory: "Vectors"), "file")
        let list = try need(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]], "list")
        return try list.map { vector in
            let input = try need(vector["input"] as? [String: Any], "input")
            let output = try need(vector["output"] as? [String: Any], "output")
            var parameters = TidesParameters.standard
            if let m = input["window_multiplier"] as? Int { parameters.windowMultiplier = UInt64(m) }
            if let d = input["dust_limit"] as? Int { parameters.dustLimit = try need(Amount(satoshis: Int64(d)), "dust_limit") }
            if let b = input["payout_budget_bytes"] as? Int { parameters.payoutBudgetBytes = b }
            let shares = try need(input["shares"] as? [[String: String]], "shares").map { share in
                let bits = try need(CompactTarget(hex: share["bits"] ?? ""), "share bits")
                return TidesShare(script: try need(Script(hex: share["script"] ?? ""), "share script"), work: try Work.of(bits: bits))
            }
            let outputs = try need(output["outputs"] as? [[String: Any]], "outputs").map { row in
                (script: try need(row["script"] as? String, "output script"), amount: Int64(try need(row["amount"] as? Int, "amount")))
            }
            let lottery = try need(output["lottery"] as? [String: Any], "lottery")
            let seed = try need(Hex.decode(input["lottery_seed"] as? String ?? "").flatMap { Hash256(bytes: $0) }, "lottery_seed")
            return Case(
                reward: try need(Amount(satoshis: Int64(input["reward"] as? Int ?? -1)), "reward"),
                networkTarget: try need(CompactTarget(hex: input["network_bits"] as? String ?? ""), "network_bits").target(),
                shares: shares, parameters: parameters, seed: seed,
                outputs: outputs, windowWork: try need(output["window_work"] as? String, "window_work"),
                lotteryPool: Int64(try need(lottery["pool"] as? Int, "lottery pool")), lotteryWinner: lottery["winner"] as? String)
        }
    }

    @Test("the core's split equals the Python reference on all 200 vectors")
    func coreMatchesReference() throws {
        let cases = try Self.cases()
        #expect(cases.count == 200)
        var lotteries = 0
        for (i, c) in cases.enumerated() {
            let split = try Tides.split(reward: c.reward, networkTarget: c.networkTarget, sharesNewestFirst: c.shares,
                                        parameters: c.parameters, lotterySeed: c.seed)
            #expect(split.outputs.map(\.script.hex) == c.outputs.map(\.script), "vector \(i): scripts")
            #expect(split.outputs.map(\.amount.satoshis) == c.outputs.map(\.amount), "vector \(i): amounts")
            #expect(split.windowWork.description == c.windowWork, "vector \(i): window work")
            #expect(split.budgeted.lotteryPool.satoshis == c.lotteryPool, "vector \(i): lottery pool")
            #expect(split.budgeted.lotteryWinner?.hex == c.lotteryWinner, "vector \(i): lottery winner")
            // Exact: the outputs pay the whole reward, not a satoshi more or less.
            #expect(split.outputs.reduce(0) { $0 + $1.amount.satoshis } == c.reward.satoshis, "vector \(i): sum")
            if c.lotteryWinner != nil { lotteries += 1 }
        }
        #expect(lotteries > 50, "the vectors exercise the lottery")
    }
}
