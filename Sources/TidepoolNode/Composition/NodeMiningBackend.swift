import BitcoinPrimitives
import BitcoinRPC
import Foundation
import Logging
import PeerNetwork
import Sharechain
import SharechainService

/// The mining coordinator's view of the node: the chain owner (shares in, tips out), the
/// peer network's sync gate, bitcoind's templates and the block submitter.
struct NodeMiningBackend: MiningBackend {
    let chain: LocalShareChain
    let peers: PeerManager
    let watcher: TemplateWatcher
    /// Submits found blocks to bitcoind and relays them (never queued behind anything).
    let blocks: FoundBlockSubmitter
    /// Devnet nodes start mining at once (Docs/OPERATIONS.md: the devnet is exempt from the sync gate).
    let syncExempt: Bool

    var isSynced: Bool { syncExempt || peers.isSynced }
    var templates: AsyncStream<BlockTemplate> { watcher.templates }
    var tipChanges: AsyncStream<ShareHash> { chain.tipChanges }
    var syncCompletions: AsyncStream<Void> { peers.syncCompletions }

    func withChain<T: Sendable>(_ body: @Sendable (inout Sharechain) throws -> T) async throws -> T {
        try await chain.withChain(body)
    }

    func submitShare(_ share: WireShare) async -> SubmitOutcome {
        await chain.submit(share, from: .local)
    }

    func bitcoinTipChanged() async {
        if await chain.heldCount > 0 { await chain.retryHeld() }
    }

    func handOff(_ work: FoundBlockWork) { blocks.submit(work) }

    func now() -> UInt64 { UInt64(Date().timeIntervalSince1970) }
}
