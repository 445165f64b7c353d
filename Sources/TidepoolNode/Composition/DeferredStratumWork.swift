import NIOConcurrencyHelpers
import PeerNetwork
import Sharechain
import StratumProtocol
import StratumServer

/// The Stratum server's work source and sink until the coordinator exists: no work
/// (miners wait), then everything is the coordinator's.
final class DeferredStratumWork: StratumWorkSource, StratumSubmissionSink {
    private let coordinator = NIOLockedValueBox<MiningCoordinator?>(nil)

    func attach(_ c: MiningCoordinator) { coordinator.withLockedValue { $0 = c } }

    func job(for key: JobKey) async -> MiningJob? {
        guard let c = coordinator.withLockedValue({ $0 }) else { return nil }
        return await c.job(for: key)
    }

    func submitBlock(_ submission: StratumSubmission) { coordinator.withLockedValue { $0 }?.submitBlock(submission) }

    func submitShare(_ submission: StratumSubmission) async -> SubmitOutcome? {
        guard let c = coordinator.withLockedValue({ $0 }) else { return nil }
        return await c.submitShare(submission)
    }
}

/// Defaults of the node's block submitter.
enum FoundBlockSubmitterDefaults {
    /// Dedicated `submitblock` connections (bitcoind validates one block at a time, so
    /// two keep one answer in flight while the next block is already on its way).
    static let connections = 2
}

/// The peer network, for the block submitter's relay (set once the manager exists).
final class RelayTarget: Sendable {
    private let manager = NIOLockedValueBox<PeerManager?>(nil)

    func set(_ peers: PeerManager) { manager.withLockedValue { $0 = peers } }

    func relay(_ bytes: [UInt8]) async {
        guard let peers = manager.withLockedValue({ $0 }) else { return }
        await peers.relayBlock(bytes)
    }
}
