import BitcoinPrimitives
import BitcoinRPC
import Logging
import NodeAPI
import PeerNetwork
import Prometheus
import Sharechain
import SharechainService
import StratumProtocol
import SharechainTestSupport
import Synchronization
import Testing
@testable import TidepoolNode

/// The node's metrics are bumped by the events of the chain and the block submitter
/// (what `TidepoolNode` wires), read back from the registry's exposition text.
@Suite("Metrics bumped where things happen")
struct NodeMetricsEventTests {
    static func lines(_ metrics: NodeMetrics) -> [String] {
        String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test("shares: accepted by source, rejected by reason, orphans, tip height and store size")
    func shares() async throws {
        let metrics = NodeMetrics(registry: PrometheusCollectorRegistry())
        let chain = try LocalShareChain(parameters: testParameters(), store: MemoryShareStore(),
                                        onEvent: { metrics.record($0) })
        let peer = PeerID(rawValue: 3)
        var snap = await chain.snapshot()
        let first = ShareFactory().next(on: &snap, script: payout(1))
        _ = await chain.submit(first, from: .local)
        _ = await chain.submit(first, from: peer)  // duplicate
        var snapBad = await chain.snapshot()
        _ = await chain.submit(ShareFactory().next(on: &snapBad, script: payout(2), corruptSignature: true), from: peer)
        var snap2 = await chain.snapshot()
        let parent = ShareFactory().next(on: &snap2, script: payout(3))
        _ = try accept(parent, into: &snap2)
        let child = ShareFactory().next(on: &snap2, script: payout(4))
        _ = await chain.submit(child, from: peer)  // orphan, released below
        _ = await chain.submit(parent, from: peer)

        let lines = Self.lines(metrics)
        #expect(lines.contains(#"tidepool_shares_accepted_total{source="local"} 1"#))
        #expect(lines.contains(#"tidepool_shares_accepted_total{source="peer"} 2"#))
        #expect(lines.contains("tidepool_shares_total 3"))
        #expect(lines.contains(#"tidepool_shares_rejected_total{source="peer",reason="duplicate"} 1"#))
        #expect(lines.contains(#"tidepool_shares_rejected_total{source="peer",reason="bad_signature"} 1"#))
        #expect(lines.contains(#"tidepool_shares_orphaned_total{source="peer"} 1"#))
        #expect(lines.contains("tidepool_tip_height 2.0"))
        #expect(lines.contains("tidepool_store_shares 3.0"))
        #expect(lines.contains("tidepool_pruned_shares_total 0"))
    }

    @Test("blocks: found, submitblock outcome by result and its latency")
    func blocks() async throws {
        let metrics = NodeMetrics(registry: PrometheusCollectorRegistry())
        let connection = GatedSubmitter(answer: .rejected("bad-cb-amount"))
        let submitter = FoundBlockSubmitter(connections: [connection], relay: { _ in }, store: RecordingStore(),
                                            logger: Logger(label: "test"), onEvent: { metrics.record($0) })
        let run = Task { await submitter.run() }
        submitter.submit(foundBlock(1))
        submitter.submit(foundBlock(1))  // resubmitted: not counted again
        var peerBlock = foundBlock(2)
        peerBlock.origin = .peer
        peerBlock.record = nil
        submitter.submit(peerBlock)
        for _ in 0..<2000 where connection.waiting < 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(connection.waiting == 2)
        connection.releaseAll()
        for _ in 0..<2000 where submitter.statistics.rejected < 2 { try await Task.sleep(for: .milliseconds(10)) }
        run.cancel()
        _ = await run.value

        let lines = Self.lines(metrics)
        #expect(lines.contains("tidepool_blocks_found_total 1"))
        #expect(lines.contains(#"tidepool_blocks_total{result="rejected"} 2"#))
        #expect(lines.contains(#"tidepool_blocks_total{result="accepted"} 0"#))
        #expect(lines.contains("tidepool_submitblock_seconds_count 2"))
    }

    @Test("Stratum submits: accepted or the reject reason in snake case")
    func stratumSubmits() {
        let metrics = NodeMetrics(registry: PrometheusCollectorRegistry())
        metrics.recordSubmit(rejected: nil)
        metrics.recordSubmit(rejected: nil)
        metrics.recordSubmit(rejected: .lowDifficulty)
        metrics.recordSubmit(rejected: .stale)
        let lines = Self.lines(metrics)
        #expect(lines.contains(#"tidepool_stratum_submits_total{result="accepted"} 2"#))
        #expect(lines.contains(#"tidepool_stratum_submits_total{result="low_difficulty"} 1"#))
        #expect(lines.contains(#"tidepool_stratum_submits_total{result="stale"} 1"#))
        #expect(StratumRejectReason.ntimeOutOfRange.metricResult == "ntime_out_of_range")
        #expect(StratumRejectReason.invalidVersionBits.metricResult == "invalid_version_bits")
    }

    @Test("every submitblock answer maps to its result label")
    func resultLabels() {
        #expect(NodeMetrics.BlockResult(.accepted) == .accepted)
        #expect(NodeMetrics.BlockResult(.duplicate) == .duplicate)
        #expect(NodeMetrics.BlockResult(.inconclusive) == .inconclusive)
        #expect(NodeMetrics.BlockResult(.duplicateInconclusive) == .inconclusive)
        #expect(NodeMetrics.BlockResult(.duplicateInvalid) == .rejected)
        #expect(NodeMetrics.BlockResult(.rejected("x")) == .rejected)
    }

    @Test("failed calls and blocks after shutdown count as failed")
    func failed() async throws {
        struct Down: BlockSubmitter {
            struct Unreachable: Error {}
            func submitBlock(_ block: Block) async throws -> SubmitBlockResult { throw Unreachable() }
        }
        let metrics = NodeMetrics(registry: PrometheusCollectorRegistry())
        let submitter = FoundBlockSubmitter(connections: [Down()], relay: { _ in }, store: nil,
                                            logger: Logger(label: "test"), onEvent: { metrics.record($0) })
        let run = Task { await submitter.run() }
        submitter.submit(foundBlock(5))
        for _ in 0..<2000 where submitter.statistics.failed < 1 { try await Task.sleep(for: .milliseconds(10)) }
        run.cancel()
        _ = await run.value
        #expect(Self.lines(metrics).contains(#"tidepool_blocks_total{result="failed"} 1"#))
        #expect(Self.lines(metrics).contains("tidepool_submitblock_seconds_count 0"))
    }
}
