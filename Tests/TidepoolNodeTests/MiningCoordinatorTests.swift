import BitcoinPrimitives
import BitcoinRPC
import Ed25519
import Foundation
import Logging
import Sharechain
import SharechainTestSupport
import StratumProtocol
import StratumServer
import PeerNetwork
import NIOConcurrencyHelpers
import Testing
@testable import TidepoolNode

/// The coordinator's view of a node, in memory: a chain, a sync flag, and the blocks handed off.
final class FakeMiningBackend: MiningBackend {
    let chain: NIOLockedValueBox<Sharechain>
    let synced = NIOLockedValueBox(false)
    let handedOff = NIOLockedValueBox<[FoundBlockWork]>([])

    init(parameters: SharechainParameters) { chain = NIOLockedValueBox(Sharechain(parameters: parameters)) }

    func withChain<T: Sendable>(_ body: @Sendable (inout Sharechain) throws -> T) async throws -> T {
        try chain.withLockedValue { try body(&$0) }
    }
    func submitShare(_ share: WireShare) async -> SubmitOutcome { .rejected(.badSignature) }  // not in these tests
    var templates: AsyncStream<BlockTemplate> { AsyncStream { $0.finish() } }
    var tipChanges: AsyncStream<ShareHash> { AsyncStream { $0.finish() } }
    var syncCompletions: AsyncStream<Void> { AsyncStream { $0.finish() } }
    func bitcoinTipChanged() async {}
    func handOff(_ work: FoundBlockWork) { handedOff.withLockedValue { $0.append(work) } }
    func now() -> UInt64 { 1_700_000_000 }
    var isSynced: Bool { synced.withLockedValue { $0 } }
}

/// A regtest template on top of `previous` with no transactions.
func regtestTemplate(previous: UInt8, height: Int = 102) -> BlockTemplate {
    BlockTemplate(version: 0x2000_0000, previousBlockHash: BlockHash(rawHash: SHA256d.hash([previous])),
                  transactions: [], coinbaseValue: Amount(satoshis: Int64(5_000_000_000))!,
                  bits: CompactTarget(rawValue: 0x207f_ffff), target: try! CompactTarget(rawValue: 0x207f_ffff).target(),
                  height: height, curtime: 1_700_000_000, mintime: 1_699_999_000,
                  defaultWitnessCommitment: nil, rules: ["csv", "segwit"], longPollID: nil)
}

/// A blocking line-oriented TCP client for loopback tests.
final class LineClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Lines received within `duration`, or until `until` holds for them. Polls without
    /// blocking (MSG_DONTWAIT) and sleeps between polls, so the test never blocks a thread
    /// of the shared concurrency pool.
    func lines(for duration: Duration, until: ([String]) -> Bool = { _ in false }) async -> [String] {
        let end = ContinuousClock.now + duration
        var out: [String] = []
        while ContinuousClock.now < end, !until(out) {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 { buffer += chunk[0..<n] } else { try? await Task.sleep(for: .milliseconds(10)) }
            while let newline = buffer.firstIndex(of: 10) {
                out.append(String(decoding: buffer[..<newline], as: UTF8.self))
                buffer.removeSubrange(...newline)
            }
        }
        return out
    }
}

@Suite("Mining coordinator: work for early miners, blocks from any job")
struct MiningCoordinatorTests {
    let parameters = SharechainParameters.standard(.regtest)
    let logger = Logger(label: "test")
    let address = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"

    func coordinator(_ backend: FakeMiningBackend) -> MiningCoordinator {
        let key = SigningKey(rawRepresentation: [UInt8](repeating: 9, count: 32))!
        return MiningCoordinator(builder: JobBuilder(parameters: parameters, nodeKey: key.publicKey), key: key,
                                 backend: backend, logger: logger)
    }

    @Test("a miner connected before the sync completes gets a job the moment it completes")
    func workAfterSync() async throws {
        let backend = FakeMiningBackend(parameters: parameters)
        let coordinator = coordinator(backend)
        let server = StratumServer(configuration: StratumServerConfiguration(host: "127.0.0.1", port: 0, network: .regtest),
                                   workSource: coordinator, sink: coordinator, logger: logger)
        let port = try await server.bind().port!
        let serving = Task { try await server.run() }  // answers job fetches
        defer { serving.cancel() }
        await coordinator.attach(server)
        await coordinator.templateUpdated(regtestTemplate(previous: 1))

        let miner = try LineClient(port: port)
        miner.send(#"{"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1"]}"#)
        miner.send(#"{"id": 2, "method": "mining.authorize", "params": ["\#(address)", "x"]}"#)
        // Both answers (bounded wait: a loaded CI machine is slow), then a quiet moment.
        var early = await miner.lines(for: .seconds(20), until: { $0.count >= 2 })
        early += await miner.lines(for: .milliseconds(300))
        #expect(early.count == 2, "subscribe and authorize answered: \(early)")
        #expect(!early.contains { $0.contains(#""method":"mining.notify""#) }, "no work before the sync completes: \(early)")

        backend.synced.withLockedValue { $0 = true }
        await coordinator.syncCompleted()
        let later = await miner.lines(for: .seconds(20), until: { lines in
            lines.contains { $0.contains(#""method":"mining.notify""#) }
        })
        #expect(later.contains { $0.contains(#""method":"mining.set_difficulty""#) })
        let notify = try #require(later.first { $0.contains(#""method":"mining.notify""#) })
        #expect(notify.hasSuffix("true]}"), "a clean job: \(notify)")
        await server.shutdown()
    }

    @Test("a block on a job the coordinator has long forgotten is still assembled and handed off at once")
    func blockFromForgottenJob() async throws {
        let backend = FakeMiningBackend(parameters: parameters)
        backend.synced.withLockedValue { $0 = true }
        let coordinator = coordinator(backend)
        await coordinator.templateUpdated(regtestTemplate(previous: 1))
        let worker = try StratumWorker(username: address, network: .regtest)
        let key = JobKey(payoutScript: worker.payoutScript, coinbaseSizeClass: .bytes730)
        let job = try #require(await coordinator.job(for: key))
        #expect(job.coinbaseSizeClass == .bytes730)
        // Churn through hundreds of templates (the old coordinator kept only 512 contexts).
        for i in 0..<522 {
            await coordinator.templateUpdated(regtestTemplate(previous: UInt8(truncatingIfNeeded: i + 2), height: 102 + i))
            _ = await coordinator.job(for: key)
        }
        let extranonce1: [UInt8] = [1, 2, 3, 4], extranonce2 = [UInt8](repeating: 5, count: 8)
        let coinbase = try job.coinbase.serialized(extranonce1: extranonce1, extranonce2: extranonce2)
        let root = Merkle.root(coinbaseTxid: Txid(rawHash: SHA256d.hash(coinbase)), branch: job.merkleBranch)
        let header = BlockHeader(version: job.version, prevBlock: job.prevBlockHash, merkleRoot: root, time: job.ntime,
                                 bits: job.bits, nonce: 42)
        let submission = StratumSubmission(job: job, header: header, hash: header.hash, extranonce1: extranonce1,
                                           extranonce2: extranonce2, coinbase: coinbase, worker: worker,
                                           difficulty: StratumDifficulty.one)
        coordinator.submitBlock(submission)  // synchronous: no actor hop, no queue
        let work = try #require(backend.handedOff.withLockedValue { $0.first })
        #expect(work.block.header == header)
        #expect(work.block.computedMerkleRoot.root == root)
        #expect(work.block.transactions.first?.serialized(includingWitness: false) == coinbase)
        let record = try #require(work.record)
        #expect(record.bitcoinHeight == 102 && record.blockHash == header.hash)
        #expect(record.share.header.payoutScript == worker.payoutScript)
        #expect(record.isShare == Work.meets(header.hash.rawHash, target: job.shareTarget))
    }

    @Test("addresses whose miners left are no longer rebuilt on each tip (600 distinct addresses came and went)")
    func departedAddressesAreDropped() async throws {
        let backend = FakeMiningBackend(parameters: parameters)
        backend.synced.withLockedValue { $0 = true }
        let coordinator = coordinator(backend)
        var config = StratumServerConfiguration(host: "127.0.0.1", port: 0, network: .regtest)
        config.maximumPayoutScriptsPerIP = 1_000
        let server = StratumServer(configuration: config, workSource: coordinator, sink: coordinator, logger: logger)
        _ = try await server.bind()
        let serving = Task { try await server.run() }  // answers job fetches
        defer { serving.cancel() }
        await coordinator.attach(server)
        await coordinator.templateUpdated(regtestTemplate(previous: 1))
        // 600 scripts asked for work (as 600 connections authorising distinct addresses do).
        for i in 0..<600 {
            var bytes: [UInt8] = [0x00, 0x14]
            bytes += [UInt8](repeating: UInt8(i % 256), count: 19)
            bytes.append(UInt8(i / 256))
            let script = Script(bytes)
            _ = await coordinator.job(for: JobKey(payoutScript: script, coinbaseSizeClass: .bytes730))
        }
        #expect(await coordinator.activeJobKeys == 600)
        // None of them is connected. The next rebuild still keeps keys asked for since the
        // last one (their connections may be registering); the one after drops them.
        await coordinator.tipChanged()
        #expect(await coordinator.activeJobKeys == 600)
        await coordinator.tipChanged()
        #expect(await coordinator.activeJobKeys == 0)
        await coordinator.tipChanged()
        #expect(await coordinator.activeJobKeys == 0)
        await server.shutdown()
    }

    @Test("each firmware class gets its own job, with coinbase halves within the class's limits", arguments: CoinbaseSizeClass.allCases)
    func jobPerClass(sizeClass: CoinbaseSizeClass) async throws {
        let backend = FakeMiningBackend(parameters: parameters)
        backend.synced.withLockedValue { $0 = true }
        let coordinator = coordinator(backend)
        await coordinator.templateUpdated(regtestTemplate(previous: 1))
        let worker = try StratumWorker(username: address, network: .regtest)
        let job = try #require(await coordinator.job(for: JobKey(payoutScript: worker.payoutScript, coinbaseSizeClass: sizeClass)))
        #expect(job.coinbaseSizeClass == sizeClass)
        let b1 = job.coinbase.coinb1.count, b2 = job.coinbase.coinb2.count
        let limits = sizeClass.limits
        if let whole = limits.whole { #expect(b1 + 12 + b2 <= whole) }
        if let c1 = limits.coinb1 { #expect(b1 <= c1) }
        if let c2 = limits.coinb2 { #expect(b2 <= c2) }
        let other = sizeClass == .bytes255 ? CoinbaseSizeClass.bytes730 : .bytes255
        let otherJob = try #require(await coordinator.job(for: JobKey(payoutScript: worker.payoutScript, coinbaseSizeClass: other)))
        #expect(otherJob.id != job.id, "one job per (payout script, class)")
    }
}

/// Headers a fake bitcoind knows, by hash, with an active chain by height.
final class FakeHeaderSource: BitcoinHeaderSource {
    let headers: [BlockHash: BlockHeaderInfo]
    let active: [Int: BlockHash]
    let lookups = NIOLockedValueBox(0)
    init(_ chain: [BlockHeaderInfo]) {
        headers = Dictionary(uniqueKeysWithValues: chain.map { ($0.hash, $0) })
        active = Dictionary(uniqueKeysWithValues: chain.filter { $0.confirmations >= 0 }.map { ($0.height, $0.hash) })
    }
    func header(_ hash: BlockHash) async throws -> BlockHeaderInfo? { lookups.withLockedValue { $0 += 1 }; return headers[hash] }
    func hash(atHeight height: Int) async throws -> BlockHash? { active[height] }
}

@Suite("bitcoind parent rules: what a share's Bitcoin header must carry")
struct BitcoindParentRulesTests {
    func info(_ height: Int, bits: UInt32, time: UInt32, confirmations: Int = 1) -> BlockHeaderInfo {
        BlockHeaderInfo(hash: BlockHash(rawHash: SHA256d.hash(Array("\(height)/\(confirmations)".utf8))), height: height,
                        bits: CompactTarget(rawValue: bits), time: time,
                        previousBlockHash: height == 0 ? nil : BlockHash(rawHash: SHA256d.hash(Array("\(height - 1)/\(confirmations)".utf8))),
                        confirmations: confirmations)
    }

    @Test("mainnet at a retarget: the period's first block comes from the active chain (Core's 32256 vector)")
    func retarget() async throws {
        let first = info(30_240, bits: 0x1d00_ffff, time: 1_261_130_161)
        let last = info(32_255, bits: 0x1d00_ffff, time: 1_262_152_739)
        let rules = BitcoindParentRules(source: FakeHeaderSource([first, last]), network: .mainnet, logger: Logger(label: "test"))
        #expect(await rules.check(last.hash) == .known(BitcoinParentRule(requiredBits: CompactTarget(rawValue: 0x1d00_d86a))))
        let unknown = BlockHash(rawHash: SHA256d.hash([9]))
        #expect(await rules.check(unknown) == .unknown(unknown))
    }

    @Test("testnet4 after minimum-difficulty blocks: walk back to the last regular bits")
    func testnet4WalkBack() async throws {
        let regular = info(100, bits: 0x1c1f_ffff, time: 1_800_000_000)
        let easy1 = info(101, bits: 0x1d00_ffff, time: 1_800_001_300)
        let easy2 = info(102, bits: 0x1d00_ffff, time: 1_800_002_600)
        let rules = BitcoindParentRules(source: FakeHeaderSource([regular, easy1, easy2]), network: .testnet4,
                                        logger: Logger(label: "test"))
        let check = await rules.check(easy2.hash)
        let expected = BitcoinParentRule(requiredBits: CompactTarget(rawValue: 0x1c1f_ffff),
            minimumDifficulty: .init(after: 1_800_002_600 + 1200, bits: CompactTarget(rawValue: 0x1d00_ffff)))
        #expect(check == .known(expected))
    }
}
