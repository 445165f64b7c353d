import Foundation
import PeerNetwork
import Sharechain
import SharechainService
import Synchronization

/// Forwards to a LocalShareChain and records when each share was accepted.
final class TimingChain: ShareChainAccess {
    let inner: LocalShareChain
    let accepted = Mutex<[ShareHash: ContinuousClock.Instant]>([:])

    /// Time spent in run submits (awaiting the chain actor included) and how many runs.
    let runTime = Mutex<(Duration, Int)>((.zero, 0))

    init(_ inner: LocalShareChain) { self.inner = inner }

    func bestTip() async -> ChainTip? { await inner.bestTip() }
    func locator() async -> [ShareHash] { await inner.locator() }
    func hashes(after locator: [ShareHash], stop: ShareHash, limit: Int) async -> [ShareHash] {
        await inner.hashes(after: locator, stop: stop, limit: limit)
    }
    func unknown(_ hashes: [ShareHash]) async -> [ShareHash] { await inner.unknown(hashes) }
    func shares(_ hashes: [ShareHash]) async -> [WireShare] { await inner.shares(hashes) }
    func submit(_ share: WireShare, from peer: PeerID) async -> SubmitOutcome {
        let outcome = await inner.submit(share, from: peer)
        record(outcome)
        return outcome
    }
    func submit(_ shares: [WireShare], from peer: PeerID) async -> [SubmitOutcome] {
        let start = ContinuousClock.now
        let outcomes = await inner.submit(shares, from: peer)
        let took = ContinuousClock.now - start
        runTime.withLock { $0.0 += took; $0.1 += 1 }
        for o in outcomes { record(o) }
        return outcomes
    }

    func prepareSignatures(_ shares: [WireShare]) { inner.prepareSignatures(shares) }

    private func record(_ outcome: SubmitOutcome) {
        guard case .accepted(_, let adopted) = outcome else { return }
        let now = ContinuousClock.now
        accepted.withLock { for h in adopted { $0[h] = now } }
    }

    func acceptedAt(_ hash: ShareHash) -> ContinuousClock.Instant? { accepted.withLock { $0[hash] } }

    var localAcceptances: AsyncStream<LocalAcceptance> { inner.localAcceptances }
    func takeOrphanFailures() async -> [OrphanFailure] { await inner.takeOrphanFailures() }
    func chainRoot() async -> ChainRoot? { await inner.chainRoot() }
    func adoptRoot(_ root: ChainRoot) async -> Bool { await inner.adoptRoot(root) }
}
