import BitcoinPrimitives
import Logging
import NIOCore
import NIOPosix
import Sharechain
import StratumProtocol
import NIOConcurrencyHelpers
import TIDES
@testable import StratumServer

/// Devnet jobs and addresses for the server tests.
enum Fixture {
    static let keyHash = Hash160(bytes: [UInt8](repeating: 0x33, count: 20))!
    static let address = Address.p2wpkh(keyHash).encoded(for: .regtest)
    static let script = Address.p2wpkh(keyHash).scriptPubKey
    static let ntime: UInt32 = 1_700_000_000
    /// Devnet's smallest difficulty, 1/65536: about 65,536 hashes per pseudo-share.
    static let minimum = StratumDifficulty(numerator: 1, denominator: 65536)!

    static var policy: VardiffPolicy {
        var p = VardiffPolicy.standard(for: .devnet)
        p.initial = minimum
        return p
    }

    static func job(id: String, clean: Bool = true, shareTarget: UInt256 = minimum.target,
                    bitcoinTarget: UInt256 = minimum.target >> 1) -> MiningJob {
        let template = try! CoinbaseTemplate(
            bitcoinHeight: 500, coinbaseValue: Amount(satoshis: 5_000_000_000 as Int64)!, witnessCommitment: Script(),
            nodeTag: Array("/tidepool/".utf8),
            payouts: [PayoutEntry(script: script, amount: Amount(satoshis: 5_000_000_000 as Int64)!)],
            shareHash: ShareHash(rawHash: SHA256d.hash(Array(id.utf8))))
        return MiningJob(id: id, payoutScript: script, prevBlockHash: BlockHash(rawHash: SHA256d.hash(Array(id.utf8))),
                         coinbase: template.stratumCoinbase, merkleBranch: [SHA256d.hash([7])], version: 0x2000_0000,
                         bits: CompactTarget(rawValue: 0x207f_ffff), ntime: ntime, mintime: ntime - 60,
                         shareTarget: shareTarget, bitcoinTarget: bitcoinTarget, clean: clean)
    }

    static func hash(_ job: MiningJob, en1: [UInt8], en2: [UInt8], nonce: UInt32) -> UInt256 {
        let root = try! job.coinbase.merkleRoot(extranonce1: en1, extranonce2: en2, branch: job.merkleBranch)
        return BlockHeader(version: job.version, prevBlock: job.prevBlockHash, merkleRoot: root, time: job.ntime,
                           bits: job.bits, nonce: nonce).hash.rawHash.asUInt256
    }

    static func grind(_ job: MiningJob, en1: [UInt8], en2: [UInt8], from start: UInt32 = 0,
                      _ predicate: (UInt256) -> Bool) -> UInt32 {
        var nonce = start
        while !predicate(hash(job, en1: en1, en2: en2, nonce: nonce)) { nonce += 1 }
        return nonce
    }

    static func server(source: MockWorkSource = MockWorkSource(), sink: MockSink = MockSink(),
                       maximumLineLength: Int = 16 * 1024,
                       onSubmit: (@Sendable (StratumRejectReason?) -> Void)? = nil) -> StratumServer {
        var config = StratumServerConfiguration(host: "127.0.0.1", port: 0, network: .devnet, vardiff: policy)
        config.maximumLineLength = maximumLineLength
        config.onSubmit = onSubmit
        var logger = Logger(label: "stratum-test")
        logger.logLevel = .critical
        return StratumServer(configuration: config, workSource: source, sink: sink, logger: logger)
    }
}

/// Hands out one job per script, set by the test.
final class MockWorkSource: StratumWorkSource {
    private let jobs = NIOLockedValueBox<[Script: MiningJob]>([:])

    func set(_ job: MiningJob) { jobs.withLockedValue { $0[job.payoutScript] = job } }

    func job(for key: JobKey) async -> MiningJob? { jobs.withLockedValue { $0[key.payoutScript] } }
}

/// Collects what the server submits.
final class MockSink: StratumSubmissionSink {
    enum Kind: Sendable { case block, share }
    let events: AsyncStream<(Kind, StratumSubmission)>
    private let continuation: AsyncStream<(Kind, StratumSubmission)>.Continuation

    init() { (events, continuation) = AsyncStream.makeStream() }

    func submitBlock(_ submission: StratumSubmission) { continuation.yield((.block, submission)) }
    func submitShare(_ submission: StratumSubmission) async -> SubmitOutcome? {
        continuation.yield((.share, submission))
        return .accepted(newTip: nil, adopted: [])
    }
}

/// `job` as the current work of its payout script for every coinbase class (whatever
/// class each test client's user agent gets).
func everyClass(_ job: MiningJob) -> [JobKey: MiningJob] {
    Dictionary(uniqueKeysWithValues: CoinbaseSizeClass.allCases.map {
        (JobKey(payoutScript: job.payoutScript, coinbaseSizeClass: $0), job)
    })
}
