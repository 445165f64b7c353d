import JSON
import BitcoinPrimitives
import Sharechain
import StratumProtocol
import TIDES

/// Jobs, sessions and requests for the session tests (devnet: regtest addresses).
enum Fixture {
    static let network = SharechainNetwork.devnet
    static let keyHash = Hash160(bytes: [UInt8](repeating: 0x11, count: 20))!
    static let address = Address.p2wpkh(keyHash).encoded(for: .regtest)
    static let script = Address.p2wpkh(keyHash).scriptPubKey
    static let otherAddress = Address.p2wpkh(Hash160(bytes: [UInt8](repeating: 0x22, count: 20))!).encoded(for: .regtest)
    static let extranonce1: [UInt8] = [0xde, 0xad, 0xbe, 0xef]
    static let ntime: UInt32 = 1_700_000_000
    static let t0 = ContinuousClock.now

    /// Every hash is a pseudo-share (difficulty 2^-32) unless a test raises it.
    static let easyPolicy = VardiffPolicy(initial: StratumDifficulty(raw: 1), minimum: StratumDifficulty(raw: 1),
                                          maximum: StratumDifficulty(1 << 40), wholeNumbersOnly: false)

    static let coinbase: StratumCoinbase = {
        let template = try! CoinbaseTemplate(
            bitcoinHeight: 321, coinbaseValue: Amount(satoshis: 5_000_000_000 as Int64)!, witnessCommitment: Script(),
            nodeTag: Array("/tidepool/".utf8), payouts: [PayoutEntry(script: script, amount: Amount(satoshis: 5_000_000_000 as Int64)!)],
            shareHash: ShareHash(rawHash: SHA256d.hash(Array("share".utf8))))
        return template.stratumCoinbase
    }()

    static func job(id: String = "a1", shareTarget: UInt256 = .zero, bitcoinTarget: UInt256 = .zero,
                    clean: Bool = true, script: Script = Fixture.script) -> MiningJob {
        MiningJob(id: id, payoutScript: script,
                  prevBlockHash: BlockHash(rawHash: SHA256d.hash(Array("prev".utf8))), coinbase: coinbase,
                  merkleBranch: [SHA256d.hash([1]), SHA256d.hash([2])], version: 0x2000_0000,
                  bits: CompactTarget(rawValue: 0x207f_ffff), ntime: ntime, mintime: ntime - 600,
                  shareTarget: shareTarget, bitcoinTarget: bitcoinTarget, clean: clean)
    }

    static func request(_ id: Int, _ method: String, _ params: [JSONValue]) -> StratumRequest {
        StratumRequest(id: .integer(id), method: method, params: params)
    }

    static func submit(_ id: Int, job: String, en2: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 1], ntime: UInt32 = Fixture.ntime,
                       nonce: UInt32, version: UInt32? = nil, worker: String = Fixture.address) -> StratumRequest {
        var params: [JSONValue] = [.string(worker), .string(job), .string(Hex.encode(en2)),
                                   .string(MiningJob.hex32(ntime)), .string(MiningJob.hex32(nonce))]
        if let version { params.append(.string(MiningJob.hex32(version))) }
        return request(id, "mining.submit", params)
    }

    /// A subscribed, configured, authorized session that has received `job`.
    static func readySession(job: MiningJob = Fixture.job(), policy: VardiffPolicy = easyPolicy,
                             password: String = "x") -> StratumSession {
        var session = StratumSession(extranonce1: extranonce1, network: network.bitcoinNetwork,
                                     networkName: network.rawValue, policy: policy, now: t0)
        _ = session.handle(request(1, "mining.subscribe", [.string("test/1.0")]), now: t0)
        _ = session.handle(request(2, "mining.configure", [
            .array([.string("version-rolling")]),
            .object([JSONMember("version-rolling.mask", .string("ffffffff")),
                     JSONMember("version-rolling.min-bit-count", .integer(2))]),
        ]), now: t0)
        _ = session.handle(request(3, "mining.authorize", [.string(address + ".rig1"), .string(password)]), now: t0)
        _ = session.receive(job: job, now: t0)
        return session
    }

    /// The header hash a miner computes for `job` (independent of the session:
    /// `StratumCoinbase.merkleRoot`).
    static func hash(job: MiningJob, en2: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 1], ntime: UInt32 = Fixture.ntime,
                     nonce: UInt32, version: Int32? = nil) -> UInt256 {
        let root = try! job.coinbase.merkleRoot(extranonce1: extranonce1, extranonce2: en2, branch: job.merkleBranch)
        let header = BlockHeader(version: version ?? job.version, prevBlock: job.prevBlockHash, merkleRoot: root,
                                 time: ntime, bits: job.bits, nonce: nonce)
        return header.hash.rawHash.asUInt256
    }

    /// The first nonce whose hash satisfies `predicate`.
    static func grind(job: MiningJob, from start: UInt32 = 0, _ predicate: (UInt256) -> Bool) -> UInt32 {
        var nonce = start
        while !predicate(hash(job: job, nonce: nonce)) { nonce += 1 }
        return nonce
    }
}

extension [StratumAction] {
    /// The responses among the actions.
    var responses: [StratumResponse] {
        compactMap { if case .send(.response(let r)) = $0 { return r } else { return nil } }
    }

    /// The only response (nil if not exactly one).
    var response: StratumResponse? { responses.count == 1 ? responses[0] : nil }

    /// The notifications, `mining.notify` included, in order, as method names.
    var notificationMethods: [String] {
        compactMap {
            switch $0 {
            case .send(.notification(let n)): return n.method
            case .notify: return "mining.notify"
            default: return nil
            }
        }
    }

    var blocks: [StratumSubmission] { compactMap { if case .submitBlock(let s) = $0 { return s } else { return nil } } }
    var shares: [StratumSubmission] { compactMap { if case .submitShare(let s) = $0 { return s } else { return nil } } }
}
