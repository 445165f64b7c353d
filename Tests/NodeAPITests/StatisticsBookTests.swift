import BitcoinPrimitives
import NodeAPI
import TIDES
import Testing

@Suite("Statistics")
struct StatisticsBookTests {
    let d1 = StatisticsScript.d1

    @Test("hash-rate windows equal Σ difficulty × 2^32 / covered seconds")
    func hashrateWindows() {
        let book = StatisticsScript.book
        #expect(book.coveredMinutes == 3)
        let r = book.report(book.pool)
        #expect(r.hashrate.map(\.windowSeconds) == [60, 300, 3600])
        #expect(r.hashrate.map(\.coveredSeconds) == [60, 180, 180])
        #expect(r.hashrate[0].hashes == 120 * d1 && r.hashrate[0].samples == 120)
        #expect(r.hashrate[0].hashesPerSecond == 2 * 4_294_967_296)
        #expect(r.hashrate[1].hashes == 270 * d1 && r.hashrate[1].samples == 270)
        #expect(r.hashrate[1].hashesPerSecond == 1.5 * 4_294_967_296)
        #expect(r.hashrate[1].relativeError == 1 / Double(270).squareRoot())
        #expect(r.lastHour == StatisticsBucket(hashes: 270 * d1, accepted: 270, stale: 2, rejected: 1))
        #expect(r.hour.map(\.start) == [660, 720, 780])
        #expect(r.hour.map(\.bucket.hashes) == [90 * d1, 60 * d1, 120 * d1])
        // One 15-minute and one hour bucket hold all three minutes.
        #expect(r.day.map(\.start) == [0] && r.day[0].bucket.hashes == 270 * d1)
        #expect(r.week.count == 1 && r.week[0].seconds == 3600)
    }

    @Test("per address, per worker and the sharechain")
    func subjects() {
        let book = StatisticsScript.book
        #expect(book.addresses[StatisticsScript.addressA]?.lastHour(now: 780).hashes == 240 * d1)
        #expect(book.addresses[StatisticsScript.addressB]?.lastHour(now: 780).accepted == 30)
        #expect(book.workers[WorkerKey(address: StatisticsScript.addressA, worker: "rig1")]?.lastHour(now: 780).stale == 2)
        #expect(book.connectedWorkers == [WorkerKey(address: StatisticsScript.addressA, worker: "rig1")])
        #expect(book.sharechainCoveredMinutes == 3)
        let chain = book.report(book.sharechain, covered: book.sharechainCoveredMinutes)
        #expect(chain.lastHour == StatisticsBucket(hashes: 12_000, accepted: 12))
        #expect(chain.hashrate[1].hashesPerSecond == 12_000.0 / 180)
        #expect(chain.hashrate[0].hashes == 0 && chain.hashrate[0].relativeError == nil)
    }

    @Test("luck per block and over time; the round in progress")
    func luck() throws {
        let report = StatisticsScript.book.poolReport()
        #expect(report.blocks.map(\.block.height) == [101, 100, 90])
        let y = report.blocks[0], x = report.blocks[1], old = report.blocks[2]
        #expect(y.expectedWork == UInt256.one << 39)
        // Y (found at 770) in 720–780 (150 → 270): 150 + 120 × 50/60 = 250, minus X's 130.
        #expect(y.workDone == 120 * d1 && !y.partialRound && y.effortPercent == 93.75)
        // X (found at 700) in the 660–720 interval (90 → 150): 90 + 60 × 40/60 = 130.
        #expect(x.workDone == 130 * d1 && x.partialRound && x.effortPercent == 101.5625)
        #expect(old.workDone == nil && old.effortPercent == nil)
        #expect(report.luckAll.blocks == 1 && report.luckAll.effortPercent == 93.75)
        #expect(report.luckDay == report.luckAll)
        let round = try #require(report.round)
        // 270 − 250 since Y.
        #expect(round.workDone == UInt256(UInt64(20) << 32) && round.expectedWork == UInt256.one << 39)
        #expect(round.effortPercent == 15.625)
    }

    @Test("next block: the template target's expected hashes over the sharechain rate")
    func nextBlock() throws {
        let next = try #require(StatisticsScript.book.nextBlock)
        #expect(next.expectedHashes == UInt256.one << 39)
        #expect(next.basis == .sharechain)
        #expect(next.expectedSeconds == 0x1p39 / (12_000.0 / 180))
        let minersOnly = NextBlockEstimate(networkTarget: StatisticsScript.target, sharechainRate: 0, nodeMinersRate: 1024)
        #expect(minersOnly.basis == .nodeMiners && minersOnly.expectedSeconds == 0x1p29)
        #expect(NextBlockEstimate(networkTarget: .max, sharechainRate: 0, nodeMinersRate: 0).expectedSeconds == nil)
    }

    @Test("rings are bounded: a slot is reused one span later")
    func ringWraps() {
        var ring = BucketRing(resolution: 60, capacity: 60)
        ring.add(StatisticsBucket(accepted: 1), at: 0)
        ring.add(StatisticsBucket(accepted: 2), at: 59)
        ring.add(StatisticsBucket(accepted: 5), at: 3600)
        #expect(ring.buckets(endingAt: 3600).map(\.bucket.accepted) == [5])
        #expect(ring.buckets(endingAt: 3599).map(\.bucket.accepted) == [])
        ring.add(StatisticsBucket(accepted: 7), at: 3000)
        #expect(ring.buckets(endingAt: 3600).map(\.start) == [3000, 3600])
    }

    @Test("counters going backwards count as a new connection; older samples are ignored")
    func resets() {
        var book = StatisticsBook()
        book.record(StatisticsSample(time: 60, workers: [StatisticsScript.rig(50)]))
        book.record(StatisticsSample(time: 120, workers: [StatisticsScript.rig(10)]))
        book.record(StatisticsSample(time: 90, workers: [StatisticsScript.rig(1000)]))
        #expect(book.pool.lastHour(now: 120).accepted == 10)
    }

    @Test("expected payout if found now: exact satoshis of the coinbase split")
    func payout() throws {
        let a = Script(hex: "0014751e76e8199196d454941c45d1b3a323f1433bd6")!
        let other = Script(hex: "76a914000000000000000000000000000000000000000088ac")!
        let reward = Amount(satoshis: Int64(312_500_000))!
        let target = try CompactTarget(rawValue: 0x207f_ffff).target()
        let even = try Tides.split(reward: reward, networkTarget: target,
                                   sharesNewestFirst: [TidesShare(script: a, work: 3), TidesShare(script: other, work: 1)],
                                   parameters: .standard, lotterySeed: .zero)
        let p = PayoutOutlook(script: a, split: even)
        #expect(p.windowWork == UInt256(3) && p.totalWork == UInt256(4) && p.windowShare == 0.75)
        #expect(p.paid.satoshis == 234_375_000 && p.ifFoundNow == 234_375_000 && p.expectedValue == 234_375_000)
        #expect(PayoutOutlook(script: other, split: even).ifFoundNow == 78_125_000)
        // A tiny share: floor(312,500,000 / 10^6) = 312 plus the one leftover satoshi (equal
        // remainders, lower script first) = 313, below the 546 dust limit: the lottery's only entry.
        // A network target whose window (8 × 2^24 work) holds all 10^6 units of work.
        let hard = try CompactTarget(rawValue: 0x1e00_ffff).target()
        let tiny = try Tides.split(reward: reward, networkTarget: hard,
                                   sharesNewestFirst: [TidesShare(script: a, work: 1), TidesShare(script: other, work: 999_999)],
                                   parameters: .standard, lotterySeed: .zero)
        let t = PayoutOutlook(script: a, split: tiny)
        #expect(t.paid == .zero && t.lotteryEntry.satoshis == 313 && t.lotteryPool.satoshis == 313 && t.wonLottery)
        #expect(t.ifFoundNow == 313 && t.expectedValue == 313)
        #expect(PayoutOutlook(script: other, split: tiny).paid.satoshis == 312_499_687)
    }

    @Test("a connected worker without shares yet is known, with zeros")
    func connectedWithoutShares() throws {
        var book = StatisticsBook()
        book.record(StatisticsSample(time: 60, workers: [StatisticsScript.rig(0)]))
        let report = try #require(book.minerReport(address: StatisticsScript.addressA, script: Script(), split: nil))
        #expect(report.workers.map(\.worker) == ["rig1"] && report.workers[0].connected)
        #expect(report.series.lastHour == .zero && report.payout == nil)
        #expect(book.minerReport(address: StatisticsScript.addressB, script: Script(), split: nil) == nil)
    }

    @Test("the sharechain series starts at the first non-empty chain")
    func sharechainBaseline() {
        var book = StatisticsBook()
        book.record(StatisticsSample(time: 600, workers: []))
        book.record(StatisticsSample(time: 660, workers: [], chainWork: UInt256(100), chainHeight: 1))
        book.record(StatisticsSample(time: 720, workers: [], chainWork: UInt256(700), chainHeight: 4))
        #expect(book.coveredMinutes == 2 && book.sharechainCoveredMinutes == 1)
        let chain = book.poolReport().sharechain
        #expect(chain.hashrate[2].coveredSeconds == 60 && chain.hashrate[2].hashesPerSecond == 10)
        #expect(chain.lastHour == StatisticsBucket(hashes: 600, accepted: 3))
    }

    @Test("at most maximumSubjects workers and addresses; the rest counts toward the pool")
    func subjectCap() {
        var book = StatisticsBook()
        let n = StatisticsBook.maximumSubjects + 5
        func counters(_ accepted: UInt64) -> [WorkerCounters] {
            (0..<n).map { WorkerCounters(connectionID: UInt64($0), address: "a\($0)", worker: nil,
                                        acceptedHashes: UInt128(accepted), accepted: accepted) }
        }
        book.record(StatisticsSample(time: 60, workers: counters(0)))
        book.record(StatisticsSample(time: 120, workers: counters(1)))
        #expect(book.addresses.count == StatisticsBook.maximumSubjects && book.workers.count == StatisticsBook.maximumSubjects)
        #expect(book.pool.lastHour(now: 120).accepted == UInt64(n))
    }
}
