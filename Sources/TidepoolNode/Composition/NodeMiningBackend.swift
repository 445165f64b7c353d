import BitcoinPrimitives
import BitcoinRPC
import Foundation
import Logging
import PeerNetwork
import Sharechain

/// The mining coordinator's view of the node: the chain actor, the peer
/// network (gossip) and the block submitter (bitcoind and block relay).
struct NodeMiningBackend: MiningBackend {
    let chain: LocalShareChain
    let peers: PeerManager
    /// Submits found blocks to bitcoind and relays them (never queued behind anything).
    let blocks: FoundBlockSubmitter
    let logger: Logger
    /// Devnet nodes start mining at once (Docs/OPERATIONS.md: the devnet is exempt from the sync gate).
    let syncExempt: Bool

    var isSynced: Bool { syncExempt || peers.isSynced }

    func withChain<T: Sendable>(_ body: @Sendable (inout Sharechain) throws -> T) async throws -> T {
        try await chain.withChain(body)
    }

    func publishShare(_ share: WireShare) async -> (accepted: Bool, detail: String) {
        switch await peers.publish(share) {
        case .accepted(let tip, _): return (true, tip == nil ? "accepted on a side branch" : "accepted, new tip")
        case .duplicate:
            // Every connection of one payout address and class mines the same share header
            // for a job; a second solution of that job is the same share, found after the
            // first. It is stale like any share found before the next job arrived (a sibling
            // of the first would be an orphan too); its block, if any, went to bitcoind.
            return (false, "stale: a share of the same job (same share header) was accepted first")
        case .orphan(let parent): return (false, "parent \(parent) unknown")
        case .rejected(let error): return (false, error.description)
        case .storeFailure(let why): return (false, "store failure: \(why)")
        }
    }

    func handOff(_ work: FoundBlockWork) { blocks.submit(work) }

    func now() -> UInt64 { UInt64(Date().timeIntervalSince1970) }
}
