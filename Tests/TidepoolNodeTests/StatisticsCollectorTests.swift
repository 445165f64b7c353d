import BitcoinPrimitives
import NodeAPI
import PeerNetwork
import Sharechain
@testable import StratumServer
import StratumProtocol
import Testing
@testable import TidepoolNode

@Suite("Statistics collector")
struct StatisticsCollectorTests {
    static func worker(_ id: UInt64, address: String?, rejected: [StratumRejectReason: UInt64]) -> StratumWorkerSnapshot {
        StratumWorkerSnapshot(connectionID: id, remoteAddress: "127.0.0.1:1", address: address, workerName: "w",
                              userAgent: nil, difficulty: .one, accepted: 7, rejected: rejected, shares: 0, blocks: 0,
                              hashrate: 0, acceptedDifficultyRaw: 7 << 32)
    }

    @Test("a sample splits stale from other rejections, skips unauthorized connections and reads the tip")
    func sample() {
        let tip = ChainTip(hash: ShareHash(displayHex: String(repeating: "ab", count: 32))!, height: 9, work: UInt256(1234))
        let s = StatisticsCollector.sample(
            time: 600, workers: [Self.worker(1, address: "bcrt1qexample", rejected: [.stale: 2, .lowDifficulty: 3, .duplicate: 1]),
                                 Self.worker(2, address: nil, rejected: [:])],
            tip: tip, networkTarget: UInt256(99), foundBlocks: [])
        #expect(s.workers == [WorkerCounters(connectionID: 1, address: "bcrt1qexample", worker: "w", acceptedHashes: 7 << 32,
                                             accepted: 7, stale: 2, rejected: 4)])
        #expect(s.chainWork == UInt256(1234) && s.chainHeight == 9 && s.networkTarget == UInt256(99) && s.time == 600)
        let collector = StatisticsCollector()
        collector.record(s)
        #expect(collector.read { $0.baselineTime } == 600)
    }
}
