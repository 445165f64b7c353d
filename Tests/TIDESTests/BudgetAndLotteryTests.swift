import BitcoinPrimitives
import Testing
@testable import TIDES

@Suite("TIDES coinbase budget and lottery (steps 5–6)")
struct BudgetAndLotteryTests {
    /// P2WPKH-shaped scripts: 22 bytes, 31-byte outputs.
    func entries(_ amounts: [Int64]) -> [PayoutEntry] {
        amounts.enumerated().map { PayoutEntry(script: testScript(UInt8($0.offset)), amount: amount($0.element)) }
    }

    @Test("outputs are ordered by amount descending, then script ascending")
    func order() {
        let e = [PayoutEntry(script: testScript(2), amount: amount(1000)),
                 PayoutEntry(script: testScript(1), amount: amount(1000)),
                 PayoutEntry(script: testScript(0), amount: amount(5000))]
        let b = Tides.applyBudget(e, parameters: params(), lotterySeed: zeroSeed)
        #expect(b.paid.map(\.script) == [testScript(0), testScript(1), testScript(2)])
        #expect(b.lotteryWinner == nil && b.lotteryPool == .zero)
    }

    @Test("the byte budget admits outputs up to budget − 43 bytes exactly")
    func budgetBoundary() {
        // Three 31-byte outputs = 93 bytes. Budget 136 → limit 93: all three fit.
        let e = entries([3000, 2000, 1000])
        #expect(Tides.applyBudget(e, parameters: params(budget: 136), lotterySeed: zeroSeed).paid.count == 3)
        // Budget 135 → limit 92: the third goes to the lottery (and wins, alone).
        let b = Tides.applyBudget(e, parameters: params(budget: 135), lotterySeed: zeroSeed)
        #expect(b.paid.count == 2)
        #expect(b.lotteryPool == amount(1000) && b.lotteryWinner == testScript(2))
        #expect(b.outputs.map(\.amount.satoshis) == [3000, 2000, 1000])
    }

    @Test("an entry at the dust limit is paid; one below it and all after go to the lottery")
    func dustBoundary() {
        let e = entries([10_000, 546, 545, 9_999])
        let b = Tides.applyBudget(e, parameters: params(dust: 546, budget: 10_000), lotterySeed: zeroSeed)
        #expect(b.paid.map(\.amount.satoshis) == [10_000, 9_999, 546])
        #expect(b.lotteryEntries.map(\.amount.satoshis) == [545])
    }

    @Test("the first entry that fails sends every later entry to the lottery, even ones that would fit")
    func firstFailureCuts() {
        // A 43-byte P2WSH-shaped output cannot fit a 40-byte limit, but later 31-byte ones could.
        let big = PayoutEntry(script: testScript(7, length: 32), amount: amount(5000))
        let e = [big] + entries([4000, 3000])
        let b = Tides.applyBudget(e, parameters: params(budget: 83), lotterySeed: zeroSeed)
        #expect(b.paid.isEmpty)
        #expect(b.lotteryPool == amount(12_000))
    }

    @Test("lottery: r = SHA256d(seed) mod S, first running sum above r wins")
    func lotteryWinner() throws {
        let seed = try #require(Hash256(internalHex: String(repeating: "ab", count: 32)))
        let lottery = entries([500, 300, 200])
        let r = (SHA256d.hash(seed.bytes).asUInt256 % UInt256(1000)).w0
        let expected: Int = r < 500 ? 0 : r < 800 ? 1 : 2
        #expect(Tides.drawLottery(lottery, pool: amount(1000), seed: seed) == lottery[expected].script)
    }

    @Test("the lottery never picks a zero-amount entry and is nil for a zero pool")
    func zeroAmounts() {
        #expect(Tides.drawLottery(entries([0, 0]), pool: .zero, seed: zeroSeed) == nil)
        for i in 0..<64 {
            let seed = SHA256d.hash([UInt8(i)])
            #expect(Tides.drawLottery(entries([0, 5, 0]), pool: amount(5), seed: seed) == testScript(1))
        }
    }

    @Test("lottery win rates are proportional to amounts over many fixed seeds")
    func fairness() {
        let lottery = entries([5000, 3000, 1500, 500])
        let pool = amount(10_000)
        var wins = [Int](repeating: 0, count: 4)
        let draws = 20_000
        for i in 0..<draws {
            var w = ByteWriter()
            w.writeLittleEndian(UInt64(i))
            let seed = SHA256d.hash(w.bytes)
            let winner = Tides.drawLottery(lottery, pool: pool, seed: seed)!
            wins[lottery.firstIndex { $0.script == winner }!] += 1
        }
        // Each count is binomial(n, p); allow 4.5 standard deviations.
        for (i, e) in lottery.enumerated() {
            let p = Double(e.amount.satoshis) / 10_000
            let mean = p * Double(draws)
            let sd = (Double(draws) * p * (1 - p)).squareRoot()
            #expect(abs(Double(wins[i]) - mean) <= 4.5 * sd, "entry \(i): \(wins[i]) wins, expected \(mean)")
        }
    }
}
