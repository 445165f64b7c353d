import BitcoinPrimitives
import NodeAPI

/// A scripted sequence of minute samples with hand-computed results
/// (StatisticsBookTests, and FakeNode's /stats answers).
///
/// t=600 baseline: connection 1 (A.rig1) at 100 d1-shares, chain work 1000 at height 10,
///       one old block (found before the node started).
/// t=660 conn 1 +60 accepted (+60 × 2^32 hashes), 2 stale, 1 rejected; conn 2 (B) new with 30; chain +6000, +6 shares.
/// t=720 conn 1 +60; conn 2 gone; chain +6000, +6 shares; block X found at 700.
/// t=780 conn 1 +120; chain unchanged; block Y found at 770.
enum StatisticsScript {
    static let addressA = FakeNode.address
    static let addressB = "bcrt1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
    static let d1: UInt128 = 1 << 32
    /// 2^217 − 1: expected work exactly 2^39 = 128 × 2^32.
    static let target = (UInt256.one << 217) - .one
    static let oldBlock = FoundBlockInfo(hash: BlockHash(displayHex: String(repeating: "01", count: 32))!,
                                         height: 90, foundAt: 100, target: target)
    static let blockX = FoundBlockInfo(hash: BlockHash(displayHex: String(repeating: "02", count: 32))!,
                                       height: 100, foundAt: 700, target: target)
    static let blockY = FoundBlockInfo(hash: BlockHash(displayHex: String(repeating: "03", count: 32))!,
                                       height: 101, foundAt: 770, target: target)

    static func rig(_ accepted: UInt64, stale: UInt64 = 0, rejected: UInt64 = 0) -> WorkerCounters {
        WorkerCounters(connectionID: 1, address: addressA, worker: "rig1", acceptedHashes: UInt128(accepted) * d1,
                       accepted: accepted, stale: stale, rejected: rejected)
    }

    static var samples: [StatisticsSample] {
        let b = WorkerCounters(connectionID: 2, address: addressB, worker: nil, acceptedHashes: 30 * d1, accepted: 30)
        return [
            StatisticsSample(time: 600, workers: [rig(100)], chainWork: UInt256(1000), chainHeight: 10,
                             networkTarget: target, foundBlocks: [oldBlock]),
            StatisticsSample(time: 660, workers: [rig(160, stale: 2, rejected: 1), b], chainWork: UInt256(7000),
                             chainHeight: 16, networkTarget: target, foundBlocks: [oldBlock]),
            StatisticsSample(time: 720, workers: [rig(220, stale: 2, rejected: 1)], chainWork: UInt256(13000),
                             chainHeight: 22, networkTarget: target, foundBlocks: [blockX, oldBlock]),
            StatisticsSample(time: 780, workers: [rig(340, stale: 2, rejected: 1)], chainWork: UInt256(13000),
                             chainHeight: 22, networkTarget: target, foundBlocks: [blockY, blockX, oldBlock]),
        ]
    }

    static var book: StatisticsBook {
        var book = StatisticsBook()
        for s in samples { book.record(s) }
        return book
    }
}
