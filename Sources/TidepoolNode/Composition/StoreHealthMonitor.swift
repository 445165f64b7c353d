import Logging
import PeerNetwork
import ServiceLifecycle
import SharechainService
import StratumServer

/// Watches the share store (issue 11 item 18, Docs/OPERATIONS.md "A failing store"):
/// when a write fails (disk full, I/O error) the node stops handing out work — every
/// miner connection is closed and new ones refused, so miners fail over to their backup
/// pool instead of mining shares the node cannot record — and it probes the store with a
/// harmless write every `interval` until one succeeds; then miners are accepted again
/// and work is rebuilt.
struct StoreHealthMonitor: Service {
    let chain: LocalShareChain
    let stratum: StratumServer
    let coordinator: MiningCoordinator
    let logger: Logger
    var interval: Duration = .seconds(2)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await check()
            try? await Task.sleep(for: interval)
        }
    }

    /// One look at the store: suspend on a failure, probe, resume on recovery.
    func check() async {
        guard let failure = chain.storeFailure else { return }
        if !stratum.isSuspended {
            logger.critical("share store failing: \(failure); no work is handed out until it recovers")
            stratum.suspend(reason: "share store failing: \(failure)")
        }
        guard await chain.probeStore() else { return }
        logger.notice("share store recovered: accepting miners again")
        stratum.resume()
        await coordinator.tipChanged()
    }
}
