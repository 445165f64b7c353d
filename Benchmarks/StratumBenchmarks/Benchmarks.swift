import Benchmark
import BitcoinPrimitives
import Sharechain
import StratumProtocol
import TIDES

/// The per-submit work of the Stratum server without sockets: parse one
/// `mining.submit` line, validate it in the session (coinbase, merkle root with a
/// 12-hash branch, header hash, checks), encode the response line.
let benchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo, maxDuration: .seconds(3))

    let keyHash = Hash160(bytes: [UInt8](repeating: 0x44, count: 20))!
    let address = Address.p2wpkh(keyHash)
    let script = address.scriptPubKey
    let value = Amount(satoshis: 312_500_000 as Int64)!
    let template = try! CoinbaseTemplate(
        bitcoinHeight: 900_000, coinbaseValue: value, witnessCommitment: Script(), nodeTag: Array("/tidepool/".utf8),
        payouts: [PayoutEntry(script: script, amount: value)], shareHash: ShareHash(rawHash: SHA256d.hash([1])))
    let job = MiningJob(id: "b1", payoutScript: script, prevBlockHash: BlockHash(rawHash: SHA256d.hash([2])),
                        coinbase: template.stratumCoinbase, merkleBranch: (0..<12).map { SHA256d.hash([UInt8($0)]) },
                        version: 0x2000_0000, bits: CompactTarget(rawValue: 0x1703_4219), ntime: 1_700_000_000,
                        mintime: 1_699_990_000, shareTarget: .zero, bitcoinTarget: .zero, clean: true)
    var policy = VardiffPolicy.standard(for: .regtest)
    policy.initial = StratumDifficulty(raw: 1)
    policy.minimum = StratumDifficulty(raw: 1)
    policy.maximum = StratumDifficulty(raw: 1)
    let now = ContinuousClock.now
    let username = address.encoded(for: .regtest) + ".bench"

    func readySession() -> StratumSession {
        var session = StratumSession(extranonce1: [1, 2, 3, 4], network: .regtest, policy: policy, now: now)
        _ = session.handle(StratumRequest(id: .integer(1), method: "mining.subscribe"), now: now)
        _ = session.handle(StratumRequest(id: .integer(2), method: "mining.authorize", params: [.string(username)]), now: now)
        _ = session.receive(job: job, now: now)
        return session
    }

    Benchmark("mining.submit: parse line + session.handle + encode response", configuration: config) { benchmark in
        var session = readySession()
        var nonce: UInt32 = 0
        for _ in benchmark.scaledIterations {
            nonce &+= 1
            let line = #"{"id":7,"method":"mining.submit","params":["\#(username)","b1","0000000000000001","6553f100","\#(MiningJob.hex32(nonce))"]}"#
            guard case .request(let request)? = try? StratumInbound.parse(line: Array(line.utf8)) else { fatalError() }
            for action in session.handle(request, now: now) {
                if case .send(let message) = action { blackHole(message.encodedLine()) }
            }
        }
    }
}
