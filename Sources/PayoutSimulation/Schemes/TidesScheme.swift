import BitcoinPrimitives
import TIDES

/// TIDES as this node runs it: every share is appended to the real `TidesWindow`, and a block
/// is paid by `Tides.split` (Docs/TIDES.md §1, steps 1–7: integer allocation, byte budget, dust limit,
/// lottery). Nothing here re-implements the rule.
final class TidesScheme: PayoutScheme {
    let kind = SchemeKind.tides
    private var window: TidesWindow
    private let ids: [UInt32]
    private let shareWork: UInt256
    private let reward: Amount
    private let parameters: TidesParameters
    /// Stand-in for "the previous share's hash": the lottery seed.
    private var seeds: SimulationRandom
    private var sinceprune = 0
    private let minerCount: Int

    init(miners: Int, shareWork: UInt256, networkTarget: UInt256, reward: Int64, parameters: TidesParameters, seed: UInt64) {
        let capacity = try! Tides.windowCapacity(networkTarget: networkTarget, multiplier: parameters.windowMultiplier)
        var window = TidesWindow(capacity: capacity)
        ids = (0..<miners).map { window.scriptID(for: TidesScheme.script(miner: $0)) }
        self.window = window
        self.shareWork = shareWork
        self.reward = Amount(satoshis: reward)!
        self.parameters = parameters
        seeds = SimulationRandom(seed: seed ^ 0x6C6F_7474_6572_7921)
        minerCount = miners
    }

    /// A P2WPKH-shaped script per miner (31-byte output); the program starts with the miner index.
    static func script(miner: Int) -> Script {
        let i = UInt32(miner)
        var program: [UInt8] = [UInt8(i >> 24), UInt8((i >> 16) & 0xFF), UInt8((i >> 8) & 0xFF), UInt8(i & 0xFF)]
        program += SHA256d.hash(program).bytes.prefix(16)
        return Script([0x00, 0x14] + program)
    }

    @inline(__always)
    static func miner(of script: Script) -> Int {
        let b = script.bytes
        return Int(b[2]) << 24 | Int(b[3]) << 16 | Int(b[4]) << 8 | Int(b[5])
    }

    func share(miner: Int, excess: Double, time: Double, isBlock: Bool, payouts: inout BlockPayouts) {
        window.append(work: shareWork, scriptID: ids[miner])
        sinceprune += 1
        if sinceprune >= 65_536 { window.pruneHistory(keepingOutsideWindow: 0); sinceprune = 0 }
        guard isBlock else { return }
        let seed = Hash256(bytes: seeds.bytes32())!
        let split = Tides.split(reward: reward, weights: window.weights(), parameters: parameters, lotterySeed: seed)
        for e in split.budgeted.paid { payouts.pay(Self.miner(of: e.script), Double(e.amount.satoshis)) }
        if let winner = split.budgeted.lotteryWinner {
            let pool = Double(split.budgeted.lotteryPool.satoshis)
            payouts.pay(Self.miner(of: winner), pool, lottery: true)
            payouts.lotteryPool = pool
        }
        payouts.outputs = split.outputs.count
    }

    func rewardFractions() -> [Double] {
        let w = window.weights()
        var out = Array(repeating: 0.0, count: minerCount)
        let total = SimulationMath.double(w.total)
        for e in w.entries { out[Self.miner(of: e.script)] = SimulationMath.double(e.work) / total }
        return out
    }
}
