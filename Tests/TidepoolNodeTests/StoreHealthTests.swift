import BitcoinPrimitives
import Ed25519
import Foundation
import Logging
import PeerNetwork
import Sharechain
import SharechainService
import SharechainTestSupport
import StratumProtocol
import StratumServer
import NIOConcurrencyHelpers
import Testing
@testable import TidepoolNode

/// A store that fails every write while `failing` is set (a full disk).
final class FlakyShareStore: ShareStore, Sendable {
    let inner = MemoryShareStore()
    let failing = NIOLockedValueBox(false)
    struct DiskFull: Error, CustomStringConvertible { var description: String { "IO error: No space left on device" } }

    func commit(_ share: WireShare, summary: ShareSummary, newTip: ShareHash?) throws {
        if failing.withLockedValue({ $0 }) { throw DiskFull() }
        try inner.commit(share, summary: summary, newTip: newTip)
    }
    func setBestTip(_ tip: ShareHash) throws {
        if failing.withLockedValue({ $0 }) { throw DiskFull() }
        try inner.setBestTip(tip)
    }
    func bestTip() throws -> ShareHash? { try inner.bestTip() }
    func share(_ hash: ShareHash) throws -> WireShare? { try inner.share(hash) }
    func forEachSummary(progress: (Int, Int) -> Void, _ body: (ShareSummary) throws -> Void) throws {
        try inner.forEachSummary(progress: progress, body)
    }
    func prune(belowHeight height: UInt32) throws -> Int { try inner.prune(belowHeight: height) }
    func count() throws -> Int { try inner.count() }
}

/// Issue 11 item 18: a failing store stops the node from handing out work, shows in the
/// status, and the node recovers when space returns.
@Suite("A failing share store")
struct StoreHealthTests {
    @Test("a failed commit suspends Stratum (connections closed, new ones refused) until a probe write succeeds")
    func suspendsAndRecovers() async throws {
        let parameters = testParameters()
        let store = FlakyShareStore()
        let chain = try LocalShareChain(parameters: parameters, store: store)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let backend = FakeMiningBackend(parameters: SharechainParameters.standard(.regtest))
        let key = SigningKey(rawRepresentation: [UInt8](repeating: 9, count: 32))!
        let coordinator = MiningCoordinator(builder: JobBuilder(parameters: .standard(.regtest), nodeKey: key.publicKey),
                                            key: key, backend: backend, logger: logger)
        let server = StratumServer(configuration: StratumServerConfiguration(host: "127.0.0.1", port: 0, network: .devnet),
                                   workSource: coordinator, sink: coordinator, logger: logger)
        let port = try await server.bind().port!
        let serving = Task { try await server.run() }  // answers job fetches
        defer { serving.cancel() }
        let monitor = StoreHealthMonitor(chain: chain, stratum: server, coordinator: coordinator, logger: logger)

        // A miner is connected; the first share commits fine.
        let early = try LineClient(port: port)
        for _ in 0..<2000 where server.connectionCount < 1 { try await Task.sleep(for: .milliseconds(10)) }
        var snapshot = await chain.snapshot()
        let factory = ShareFactory()
        let first = factory.next(on: &snapshot, script: payout(1))
        guard case .accepted = await chain.submit(first, from: .local) else { Issue.record("first share"); return }
        await monitor.check()
        #expect(!server.isSuspended && chain.storeFailure == nil)

        // The disk fills: the next commit fails.
        store.failing.withLockedValue { $0 = true }
        let second = factory.next(on: &snapshot, script: payout(2))
        guard case .storeFailure = await chain.submit(second, from: .local) else { Issue.record("expected a store failure"); return }
        #expect(chain.storeFailure?.contains("No space left") == true)
        await monitor.check()
        #expect(server.isSuspended)
        #expect(await early.closed(within: .seconds(20)), "connected miners are closed")
        let late = try LineClient(port: port)
        #expect(await late.closed(within: .seconds(20)), "new miners are refused")
        await monitor.check()  // still failing: the probe fails, still suspended
        #expect(server.isSuspended && chain.storeFailure != nil)

        // Space returns: the next probe succeeds, miners are accepted, shares commit again.
        store.failing.withLockedValue { $0 = false }
        await monitor.check()
        #expect(!server.isSuspended && chain.storeFailure == nil)
        let again = try LineClient(port: port)
        #expect(!(await again.closed(within: .milliseconds(500))))
        guard case .accepted = await chain.submit(second, from: .local) else { Issue.record("share after recovery"); return }
        await server.shutdown()
    }
}

extension LineClient {
    /// Whether the server closes the connection within `limit` (whatever it sends first).
    func closed(within limit: Duration) async -> Bool {
        let end = ContinuousClock.now + limit
        var chunk = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < end {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n == 0 { return true }
            if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK { return true }
            if n < 0 { try? await Task.sleep(for: .milliseconds(10)) }
        }
        return false
    }
}
