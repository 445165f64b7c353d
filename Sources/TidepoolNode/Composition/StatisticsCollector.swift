import BitcoinPrimitives
import Foundation
import Logging
import NodeAPI
import PeerNetwork
import ServiceLifecycle
import Sharechain
import SharechainService
import SharechainStore
import StratumServer
import NIOConcurrencyHelpers

/// The node's `StatisticsBook` behind a lock, for the API to read.
final class StatisticsCollector: Sendable {
    private let book = NIOLockedValueBox(StatisticsBook())

    /// Adds a sample.
    func record(_ sample: StatisticsSample) { book.withLockedValue { $0.record(sample) } }

    /// Reads the book.
    func read<T: Sendable>(_ body: (StatisticsBook) -> T) -> T { book.withLockedValue { body($0) } }

    /// The sample the node's state gives now: Stratum workers' cumulative counters,
    /// the sharechain tip, the template target and the stored found blocks.
    static func sample(time: UInt64, workers: [StratumWorkerSnapshot], tip: ChainTip?, networkTarget: UInt256?,
                       foundBlocks: [FoundBlockRecord]) -> StatisticsSample {
        let counters = workers.compactMap { w -> WorkerCounters? in
            guard let address = w.address else { return nil }
            let stale = w.rejected[.stale] ?? 0
            return WorkerCounters(connectionID: w.connectionID, address: address, worker: w.workerName,
                                  acceptedHashes: w.acceptedDifficultyRaw, accepted: w.accepted, stale: stale,
                                  rejected: w.rejected.values.reduce(0, +) - stale)
        }
        let blocks = foundBlocks.compactMap { r -> FoundBlockInfo? in
            guard let target = try? r.share.bitcoinHeader.bits.target() else { return nil }
            return FoundBlockInfo(hash: r.blockHash, height: r.bitcoinHeight, foundAt: r.foundAt, target: target)
        }
        return StatisticsSample(time: time, workers: counters, chainWork: tip?.work, chainHeight: tip?.height,
                                networkTarget: networkTarget, foundBlocks: blocks)
    }
}

/// Samples the node once a minute into a `StatisticsCollector` (the first sample, at
/// start, is the baseline).
struct StatisticsCollectorService: Service {
    let collector: StatisticsCollector
    let chain: LocalShareChain
    let stratum: StratumServer
    let coordinator: MiningCoordinator
    let store: LevelDBShareStore
    /// Gauges set from each minute's report.
    let metrics: NodeMetrics
    let logger: Logger
    /// Time between samples.
    static let interval: Duration = .seconds(60)

    /// Samples every minute until graceful shutdown (then returns at once, like the
    /// node's other loops: a sleeping sample must not hold up the shutdown).
    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.sampleLoop() }
        } catch is CancellationError where Task.isShuttingDownGracefully || Task.isCancelled {
            return
        }
    }

    private func sampleLoop() async throws {
        while !Task.isCancelled {
            let found = (try? store.foundBlocks.foundBlocks(limit: StatisticsBook.maximumBlocks)) ?? []
            let sample = StatisticsCollector.sample(
                time: UInt64(Date().timeIntervalSince1970), workers: await stratum.workerStats(),
                tip: await chain.bestTip(), networkTarget: await coordinator.currentTemplate?.target,
                foundBlocks: found)
            collector.record(sample)
            metrics.setStatistics(collector.read { $0.poolReport() })
            try await Task.sleep(for: Self.interval)
        }
    }
}
