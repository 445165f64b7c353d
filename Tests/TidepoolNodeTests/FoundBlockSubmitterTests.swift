import BitcoinPrimitives
import BitcoinRPC
import Logging
import ServiceLifecycle
import Sharechain
import SharechainTestSupport
import NIOConcurrencyHelpers
import Testing
@testable import TidepoolNode

/// A `submitblock` connection that holds every call until the test releases it.
final class GatedSubmitter: BlockSubmitter {
    private let state = NIOLockedValueBox<(waiting: [CheckedContinuation<SubmitBlockResult, any Error>], seen: [BlockHash])>(([], []))
    let answer: SubmitBlockResult

    init(answer: SubmitBlockResult = .accepted) { self.answer = answer }

    func submitBlock(_ block: Block) async throws -> SubmitBlockResult {
        try await withCheckedThrowingContinuation { c in
            state.withLockedValue { $0.waiting.append(c); $0.seen.append(block.hash) }
        }
    }

    /// Calls received so far (answered or not).
    var seen: [BlockHash] { state.withLockedValue { $0.seen } }
    /// Calls waiting for an answer.
    var waiting: Int { state.withLockedValue { $0.waiting.count } }

    func releaseAll() {
        let waiting = state.withLockedValue { s in defer { s.waiting = [] }; return s.waiting }
        for c in waiting { c.resume(returning: answer) }
    }
}

/// Records what the submitter stores.
final class RecordingStore: FoundBlockStore {
    let records = NIOLockedValueBox<[FoundBlockRecord]>([])
    func recordFoundBlock(_ record: FoundBlockRecord) throws { records.withLockedValue { $0.append(record) } }
    func foundBlocks(limit: Int) throws -> [FoundBlockRecord] { records.withLockedValue { Array($0.reversed().prefix(limit)) } }
    func foundBlock(_ hash: BlockHash) throws -> FoundBlockRecord? { records.withLockedValue { $0.last { $0.blockHash == hash } } }
}

/// A distinct coinbase-only block per `n`, with the record of a share committing to it.
func foundBlock(_ n: Int) -> FoundBlockWork {
    var chain = Sharechain(parameters: testParameters())
    let share = ShareFactory().make(on: &chain, parent: nil, timestamp: 1_700_000_000 + UInt64(n), script: payout(UInt8(n % 200)))
    let coinbase = Transaction(version: 1, inputs: [TxIn(previousOutput: .null, scriptSig: share.coinbaseScriptSig,
                                                                    sequence: 0xffff_ffff)],
                               outputs: [TxOut(value: share.coinbaseValue, scriptPubKey: payout(1))], lockTime: 0)
    let header = BlockHeader(version: 0x2000_0000, prevBlock: BlockHash(rawHash: .zero),
                             merkleRoot: MerkleRoot(rawHash: coinbase.txid.rawHash), time: UInt32(n), bits: share.bitcoinHeader.bits,
                             nonce: UInt32(n))
    let block = Block(header: header, transactions: [coinbase])
    var wire = share
    wire.bitcoinHeader = header
    return FoundBlockWork(block: block, origin: .local(worker: "test"),
                          record: FoundBlockRecord(share: wire, bitcoinHeight: UInt32(n), foundAt: 1_700_000_000, isShare: false))
}

@Suite("Found blocks reach bitcoind at once and are never dropped")
struct FoundBlockSubmitterTests {
    let logger = Logger(label: "test")

    /// Waits (bounded) until `condition` holds.
    func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<2000 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }

    @Test("every block gets its own submitblock call at once, none waits for another's answer")
    func concurrent() async throws {
        let connection = GatedSubmitter()
        let relayed = NIOLockedValueBox(0)
        let submitter = FoundBlockSubmitter(connections: [connection], relay: { _ in relayed.withLockedValue { $0 += 1 } },
                                            store: RecordingStore(), logger: logger)
        let run = Task { await submitter.run() }
        for n in 0..<20 { submitter.submit(foundBlock(n)) }
        // All 20 are in bitcoind's hands although none has been answered.
        try await eventually { connection.waiting == 20 }
        try await eventually { relayed.withLockedValue { $0 } == 20 }  // relayed without waiting for bitcoind
        #expect(submitter.statistics.inFlight == 20)
        connection.releaseAll()
        try await eventually { submitter.statistics.accepted == 20 }
        #expect(submitter.statistics.inFlight == 0)
        // The same block again (a miner resubmitting its header) is not submitted twice.
        submitter.submit(foundBlock(3))
        try await Task.sleep(for: .milliseconds(50))
        #expect(connection.seen.count == 20 && submitter.statistics.received == 20)
        run.cancel()
        await run.value
    }

    @Test("graceful shutdown finishes the submitblock calls under way")
    func drainsOnShutdown() async throws {
        let connection = GatedSubmitter()
        let store = RecordingStore()
        let submitter = FoundBlockSubmitter(connections: [connection], relay: { _ in }, store: store, logger: logger,
                                            drainTimeout: .seconds(30))
        let group = ServiceGroup(services: [submitter], logger: logger)
        let run = Task { try await group.run() }
        for n in 0..<5 { submitter.submit(foundBlock(n)) }
        try await eventually { connection.waiting == 5 }
        await group.triggerGracefulShutdown()
        try await Task.sleep(for: .milliseconds(50))
        #expect(submitter.statistics.inFlight == 5)  // still waiting for bitcoind, not cancelled
        connection.releaseAll()
        try await run.value
        let s = submitter.statistics
        #expect(s.accepted == 5 && s.dropped == 0 && s.failed == 0)
        // Each block was recorded pending, then with bitcoind's verdict.
        let verdicts = store.records.withLockedValue { $0.map(\.verdict) }
        #expect(verdicts.filter { $0 == FoundBlockRecord.pending }.count == 5)
        #expect(verdicts.filter { $0 == "accepted" }.count == 5)
        // Blocks after shutdown began are refused and counted.
        submitter.submit(foundBlock(99))
        #expect(submitter.statistics.failed == 1)
    }

    @Test("a bitcoind that never answers delays shutdown only by the drain time, and the drop is counted")
    func dropsAfterDrainTimeout() async throws {
        let connection = GatedSubmitter()
        let submitter = FoundBlockSubmitter(connections: [connection], relay: { _ in }, store: nil, logger: logger,
                                            drainTimeout: .milliseconds(200))
        let group = ServiceGroup(services: [submitter], logger: logger)
        let run = Task { try await group.run() }
        for n in 0..<3 { submitter.submit(foundBlock(n)) }
        try await eventually { connection.waiting == 3 }
        await group.triggerGracefulShutdown()
        // GatedSubmitter ignores cancellation; answer late so the continuations resume.
        try await Task.sleep(for: .milliseconds(400))
        connection.releaseAll()
        try await run.value
        #expect(submitter.statistics.dropped + submitter.statistics.accepted == 3)
    }

    @Test("every submitblock answer is recorded with its reason", arguments: [
        (SubmitBlockResult.accepted, "accepted"), (.duplicate, "duplicate"), (.inconclusive, "inconclusive"),
        (.duplicateInvalid, "duplicate-invalid"), (.duplicateInconclusive, "duplicate-inconclusive"),
        (.rejected("bad-cb-amount"), "rejected: bad-cb-amount"),
    ])
    func verdicts(result: SubmitBlockResult, text: String) async throws {
        let connection = GatedSubmitter(answer: result)
        let store = RecordingStore()
        let submitter = FoundBlockSubmitter(connections: [connection], relay: { _ in }, store: store, logger: logger)
        let run = Task { await submitter.run() }
        let work = foundBlock(7)
        submitter.submit(work)
        try await eventually { connection.waiting == 1 }
        connection.releaseAll()
        try await eventually { store.records.withLockedValue { $0.count } == 2 }
        #expect(try store.foundBlock(work.block.hash)?.verdict == text)
        #expect(NodeStatusService.accepted(text) == (result.isAccepted ? true : (text.hasPrefix("rejected") || text == "duplicate-invalid" ? false : nil)))
        run.cancel()
        await run.value
    }
}
