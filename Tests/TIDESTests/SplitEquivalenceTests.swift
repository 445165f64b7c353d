import BitcoinPrimitives
import Testing
@testable import TIDES

/// Issue 17: the allocation-free split (index sorts in temporary buffers) gives exactly the
/// result of the straightforward definition (sorted arrays), on random and adversarial inputs.
@Suite("TIDES split equals its reference definition")
struct SplitEquivalenceTests {
    /// Step 4 as first written: floor shares, leftovers by remainder desc then script order.
    static func referenceAllocate(reward: Amount, weights: WindowWeights) -> [PayoutEntry] {
        let v = UInt64(reward.satoshis), w = weights.total
        var amounts = weights.entries.map { UInt256.scaledQuotient($0.work, times: v, dividedBy: w).quotient }
        let remainders = weights.entries.map { UInt256.scaledQuotient($0.work, times: v, dividedBy: w).remainder }
        var leftover = v - amounts.reduce(0, +)
        let order = remainders.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for i in order where leftover > 0 { amounts[i] += 1; leftover -= 1 }
        return weights.entries.indices.map { PayoutEntry(script: weights.entries[$0].script, amount: Amount(satoshis: amounts[$0])!) }
    }

    /// Steps 5–6 as first written.
    static func referenceBudget(_ entries: [PayoutEntry], parameters: TidesParameters, seed: Hash256) -> BudgetedPayout {
        let ordered = entries.sorted { $0.amount != $1.amount ? $0.amount > $1.amount : $0.script < $1.script }
        let limit = parameters.payoutBudgetBytes - TidesParameters.lotteryReserveBytes
        var used = 0, cut = ordered.count
        for (i, e) in ordered.enumerated() {
            let size = Tides.outputSize(e.script)
            if e.amount < parameters.dustLimit || used + size > limit { cut = i; break }
            used += size
        }
        let lottery = Array(ordered[cut...])
        let pool = Amount.sum(lottery.map(\.amount))!
        return BudgetedPayout(paid: Array(ordered[..<cut]), lotteryEntries: lottery, lotteryPool: pool,
                              lotteryWinner: Tides.drawLottery(lottery, pool: pool, seed: seed))
    }

    @Test("random windows, 1–400 payees, equal works and amounts included")
    func randomSplits() {
        var rng = SplitMix64(seed: 17)
        for round in 0..<300 {
            let n = 1 + Int(rng.below(round < 150 ? 12 : 400))
            let distinctWorks = 1 + rng.below(round % 3 == 0 ? 3 : 1_000_000)  // few values: many ties
            var entries: [WindowWeights.Entry] = []
            for i in 0..<n {
                let bytes = (0..<20).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                let script = Script(i % 5 == 0 ? [0x51, 0x20] + bytes + bytes[..<12] : [0x00, 0x14] + bytes)
                let work = UInt256(1 + rng.below(distinctWorks)) << Int(rng.below(round % 4 == 0 ? 1 : 150))
                entries.append(WindowWeights.Entry(script: script, work: work))
            }
            let weights = WindowWeights(unsorted: entries)
            let reward = amount(Int64(rng.below(round % 2 == 0 ? 5_000 : 2_100_000_000_000_000)))
            let p = params(dust: Int64(rng.below(2_000)), budget: 43 + Int(rng.below(4_000)))
            var seedBytes = [UInt8](repeating: 0, count: 32)
            seedBytes[0] = UInt8(round & 0xff)
            let seed = Hash256(bytes: seedBytes)!
            let allocation = Tides.allocate(reward: reward, weights: weights)
            #expect(allocation == Self.referenceAllocate(reward: reward, weights: weights), "round \(round)")
            #expect(Tides.applyBudget(allocation, parameters: p, lotterySeed: seed)
                    == Self.referenceBudget(allocation, parameters: p, seed: seed), "round \(round)")
            // The compact split (what validation computes) reads back as the same steps 4–7.
            let split = Tides.split(reward: reward, weights: weights, parameters: p, lotterySeed: seed)
            let reference = Self.referenceBudget(Self.referenceAllocate(reward: reward, weights: weights),
                                                 parameters: p, seed: seed)
            #expect(split.allocation == allocation, "round \(round)")
            #expect(split.budgeted == reference, "round \(round)")
            #expect(split.outputs == reference.outputs, "round \(round)")
            #expect(split.lotteryPool == reference.lotteryPool, "round \(round)")
            // Entries not in script order take the sorting path.
            let shuffled = allocation.reversed().map { $0 }
            #expect(Tides.applyBudget(shuffled, parameters: p, lotterySeed: seed)
                    == Self.referenceBudget(shuffled, parameters: p, seed: seed), "round \(round), unsorted")
        }
    }

    @Test("more payees than the packed sort keys hold (8,192): the index sort path", arguments: [0, 100])
    func widestWindows(shift: Int) {
        var rng = SplitMix64(seed: 8_193)
        let entries = (0..<9_000).map { i in
            WindowWeights.Entry(script: Script([0x00, 0x14] + (0..<20).map { _ in UInt8(truncatingIfNeeded: rng.next()) }),
                                work: UInt256(1 + rng.below(i % 2 == 0 ? 3 : 1_000)) << shift)
        }
        let weights = WindowWeights(unsorted: entries)
        let reward = amount(312_512_345), p = params(budget: 16_000)
        let split = Tides.split(reward: reward, weights: weights, parameters: p, lotterySeed: zeroSeed)
        let reference = Self.referenceBudget(Self.referenceAllocate(reward: reward, weights: weights),
                                             parameters: p, seed: zeroSeed)
        #expect(split.budgeted == reference)
        #expect(split.outputs == reference.outputs)
        #expect(Tides.maxMoney == Amount.maxMoney.satoshis)  // the packed keys' bound
    }

    @Test("index sort and selection: random, sorted, reversed, equal-key and organ-pipe inputs, 0–3,000 long")
    func indexSort() {
        var rng = SplitMix64(seed: 5)
        for n in [0, 1, 2, 3, 16, 17, 18, 100, 1_000, 3_000] {
            let inputs: [[UInt64]] = [
                (0..<n).map { _ in rng.next() }, (0..<n).map { UInt64($0) }, (0..<n).map { UInt64(n - $0) },
                [UInt64](repeating: 7, count: n), (0..<n).map { UInt64(min($0, n - $0)) },
                (0..<n).map { _ in rng.below(3) },
            ]
            for keys in inputs {
                var ids = (0..<n).map { Int32($0) }
                let before: (Int32, Int32) -> Bool = { a, b in keys[Int(a)] != keys[Int(b)] ? keys[Int(a)] > keys[Int(b)] : a < b }
                ids.withUnsafeMutableBufferPointer { IndexSort.sort($0, by: before) }
                #expect(ids == (0..<n).map { Int32($0) }.sorted(by: before))
                // Selection: the first k are the k first of the sorted order, as a set.
                for k in Set([0, 1, n / 3, n / 2, n - 1, n].filter { $0 >= 0 && $0 <= n }) {
                    var chosen = (0..<n).map { Int32($0) }.reversed().map { $0 }
                    chosen.withUnsafeMutableBufferPointer { IndexSort.selectFirst(k, of: $0, by: before) }
                    #expect(Set(chosen.prefix(k)) == Set(ids.prefix(k)), "n \(n), k \(k)")
                    #expect(chosen.sorted() == (0..<n).map { Int32($0) }, "a permutation")
                }
            }
        }
    }

    @Test("leftover award by remainder buckets equals a full selection: spread, clustered, equal and top-heavy remainders")
    func leftoverAward() {
        var rng = SplitMix64(seed: 11)
        for n in [1, 2, 3, 17, 64, 100, 1_000] {
            for divisor in [UInt64(1) << 63 | 12_345, 1_000_003, 70, 2] {
                let inputs: [[UInt64]] = [
                    (0..<n).map { _ in rng.below(divisor) },                        // spread over the buckets
                    (0..<n).map { _ in divisor - 1 - rng.below(Swift.min(divisor, 5)) },  // all in the top bucket
                    [UInt64](repeating: divisor / 2, count: n),                       // one value, ties by index
                    (0..<n).map { UInt64($0) % divisor },                              // low values, ascending
                ]
                for remainders in inputs {
                    let before: (Int32, Int32) -> Bool = { a, b in
                        let ra = remainders[Int(a)], rb = remainders[Int(b)]
                        return ra != rb ? ra > rb : a < b
                    }
                    let ranked = (0..<n).map { Int32($0) }.sorted(by: before)
                    for leftover in Set([0, 1, n / 2, n - 1].filter { $0 >= 0 && $0 < n }) {
                        var amounts = [Int64](repeating: 10, count: n)
                        amounts.withUnsafeMutableBufferPointer { out in
                            remainders.withUnsafeBufferPointer { r in
                                Tides.awardLeftover(leftover, count: n, to: out, remainders: NarrowRemainders(r, below: divisor))
                            }
                        }
                        // The wide form (any W) awards the same.
                        var wide = [Int64](repeating: 10, count: n)
                        let wideRemainders = remainders.map { UInt256($0) << 100 }
                        wide.withUnsafeMutableBufferPointer { out in
                            wideRemainders.withUnsafeBufferPointer { r in
                                Tides.awardLeftover(leftover, count: n, to: out,
                                                    remainders: WideRemainders(r, below: UInt256(divisor) << 100))
                            }
                        }
                        var expected = [Int64](repeating: 10, count: n)
                        for i in ranked.prefix(leftover) { expected[Int(i)] += 1 }
                        #expect(amounts == expected, "n \(n), divisor \(divisor), leftover \(leftover)")
                        #expect(wide == expected, "wide: n \(n), divisor \(divisor), leftover \(leftover)")
                    }
                }
            }
        }
    }
}
