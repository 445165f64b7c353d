import BitcoinPrimitives
import Foundation
import Logging
import Sharechain
import SharechainService
import SharechainStore
import SharechainTestSupport
import Testing

/// Issue 13: a `LocalShareChain` retaining by work prunes its index and its LevelDB store in
/// batches, and after a restart (replay of the pruned store) has the same tip, chain work,
/// targets and payouts as a node that never pruned, and keeps accepting the same shares.
@Suite("SharechainService: pruning and restart")
struct PruneRestartTests {
    @Test("prune + restart gives the same tip and payouts as a node that never pruned", .timeLimit(.minutes(2)))
    func pruneAndRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-prune-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let store = try LevelDBShareStore(path: path, configuration: .init(syncWrites: false), logger: logger)
        var parameters = testParameters(network: .devnet)
        parameters.maximumForkDepth = 20
        let policy = RetentionPolicy(forkDepth: 20, batchShares: 10)
        let pruned = try LocalShareChain(parameters: parameters, store: store, retention: policy)
        let reference = try LocalShareChain(parameters: parameters, store: MemoryShareStore())
        var minter = ShareFactory()
        minter.bitcoinBits = CompactTarget(rawValue: 0x201f_ffff)  // Z = 64 (about 32 shares of work 2)
        func mine(_ count: Int, into chains: [LocalShareChain]) async {
            for i in 0..<count {
                var snap = await reference.snapshot()
                let share = minter.next(on: &snap, script: payout(UInt8(i % 5)))
                for chain in chains {
                    guard case .accepted = await chain.submit(share, from: .local) else {
                        Issue.record("share \(i) refused"); return
                    }
                }
            }
        }
        await mine(600, into: [reference, pruned])
        await pruned.waitForPruning()
        let status = await pruned.retentionStatus()
        #expect(status.root != nil)
        #expect(status.shares < 200, "retained \(status.shares) of 600")
        #expect(store.count() == status.shares)
        #expect(try store.pruneState()?.root == status.root)

        // Restart: replay the pruned store.
        let restarted = try LocalShareChain(parameters: parameters, store: store, retention: policy)
        #expect(await restarted.bestTip() == reference.bestTip())
        #expect(await restarted.retentionStatus().shares == status.shares)
        #expect(await restarted.retentionStatus().lowestHeight == status.lowestHeight)
        try await expectSameConsensus(restarted, reference, bits: minter.bitcoinBits)
        // Both keep accepting the same shares (the merkle root check is the split check).
        await mine(150, into: [reference, restarted])
        #expect(await restarted.bestTip() == reference.bestTip())
        try await expectSameConsensus(restarted, reference, bits: minter.bitcoinBits)
        await restarted.waitForPruning()
    }

    /// Found on a devnet run: a node that got the root's ancestors and descendants as
    /// orphans in a sync round before it adopted the root from peers never accepted the root
    /// share (only children of missing parents were searched), so it never synced.
    @Test("adopting a root accepts the root share wherever it waits among the orphans, and releases its descendants")
    func adoptRootFindsTheRootDeepAmongOrphans() async throws {
        var parameters = testParameters(network: .devnet)
        parameters.maximumForkDepth = 20
        let policy = RetentionPolicy(forkDepth: 20, batchShares: 10)
        let source = try LocalShareChain(parameters: parameters, store: MemoryShareStore(), retention: policy)
        var minter = ShareFactory()
        minter.bitcoinBits = CompactTarget(rawValue: 0x201f_ffff)
        var shares: [WireShare] = []
        for i in 0..<300 {
            var snap = await source.snapshot()
            let share = minter.next(on: &snap, script: payout(UInt8(i % 5)))
            guard case .accepted = await source.submit(share, from: .local) else { Issue.record("share \(i)"); return }
            shares.append(share)
        }
        let root = try #require(await source.chainRoot())
        let rootIndex = try #require(shares.firstIndex { $0.hash == root.hash })
        #expect(rootIndex > 10)

        // The fresh node first hears of ten ancestors of the root, the root, and the rest.
        let fresh = try LocalShareChain(parameters: parameters, store: MemoryShareStore(), orphanCapacity: 4096)
        for share in shares[(rootIndex - 10)...] {
            #expect(await fresh.submit(share, from: PeerID(rawValue: 1)) == .orphan(missingParent: share.header.previousShare))
        }
        #expect(await fresh.adoptRoot(root))
        #expect(await fresh.bestTip() == source.bestTip())
        // What is left waiting is only the ten ancestors below the root.
        #expect(await fresh.orphanCount == 10)
    }

    func expectSameConsensus(_ a: LocalShareChain, _ b: LocalShareChain, bits: CompactTarget) async throws {
        let target = try bits.target()
        let reward = ShareFactory().reward
        let split: @Sendable (inout Sharechain) throws -> [String] = { chain in
            try chain.split(parent: chain.bestTip, payoutScript: payout(9), bits: CompactTarget(rawValue: 0x207f_ffff),
                            networkTarget: target, reward: reward)
                .outputs.map { "\($0.script.hex):\($0.amount.satoshis)" }
        }
        #expect(try await a.withChain(split) == b.withChain(split))
        let required: @Sendable (inout Sharechain) -> UInt256 = { $0.requiredTarget(parent: $0.bestTip) }
        #expect(await a.withChain(required) == b.withChain(required))
        #expect(await a.bestTip()?.work == b.bestTip()?.work)
    }
}
