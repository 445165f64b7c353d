import JSON
import BitcoinPrimitives
import Sharechain
import Testing
@testable import StratumProtocol

@Suite("Stratum session state machine")
struct SessionTests {
    let t0 = Fixture.t0

    @Test func handshakeSubscribeConfigureAuthorizeNotify() throws {
        var s = StratumSession(extranonce1: Fixture.extranonce1, network: .regtest, networkName: "devnet", policy: Fixture.easyPolicy, now: t0)
        let sub = s.handle(Fixture.request(1, "mining.subscribe", []), now: t0)
        #expect(sub.response?.result == .array([
            .array([.array([.string("mining.set_difficulty"), .string("deadbeef")]),
                    .array([.string("mining.notify"), .string("deadbeef")])]),
            .string("deadbeef"), .number("8"),
        ]))
        let conf = s.handle(Fixture.request(2, "mining.configure", [
            .array([.string("version-rolling"), .string("minimum-difficulty"), .string("x-unknown")]),
            .object([JSONMember("version-rolling.mask", .string("1fffe0ff")),
                     JSONMember("version-rolling.min-bit-count", .integer(2))]),
        ]), now: t0)
        #expect(conf.response?.result == .object([
            JSONMember("version-rolling", .bool(true)), JSONMember("version-rolling.mask", .string("1fffe000")),
            JSONMember("minimum-difficulty", .bool(false)), JSONMember("x-unknown", .bool(false)),
        ]))
        #expect(s.versionMask == 0x1fff_e000)
        #expect(s.handle(Fixture.request(3, "mining.extranonce.subscribe", []), now: t0).response?.result == .bool(true))
        let auth = s.handle(Fixture.request(4, "mining.authorize", [.string(Fixture.address + ".rig1"), .string("x")]), now: t0)
        #expect(auth.response?.result == .bool(true))
        guard case .ready(let script)? = auth.last else { Issue.record("no ready action"); return }
        #expect(script.payoutScript == Fixture.script)
        #expect(s.worker?.workerName == "rig1")
        let work = s.receive(job: Fixture.job(), now: t0)
        #expect(work.notificationMethods == ["mining.set_difficulty", "mining.notify"])
        // same difficulty next time: notify only
        #expect(s.receive(job: Fixture.job(id: "a2"), now: t0).notificationMethods == ["mining.notify"])
    }

    @Test func minBitCountIsHonoured() {
        var s = StratumSession(extranonce1: Fixture.extranonce1, network: .regtest, networkName: "devnet", now: t0)
        let r = s.handle(Fixture.request(1, "mining.configure", [
            .array([.string("version-rolling")]),
            .object([JSONMember("version-rolling.mask", .string("00006000")),
                     JSONMember("version-rolling.min-bit-count", .integer(4))]),
        ]), now: t0)
        #expect(r.response?.result == .object([JSONMember("version-rolling", .bool(false))]))
        #expect(s.versionMask == 0)
    }

    @Test func invalidAddressIsAnErrorNotADisconnect() {
        var s = StratumSession(extranonce1: Fixture.extranonce1, network: .regtest, networkName: "devnet", now: t0)
        _ = s.handle(Fixture.request(1, "mining.subscribe", []), now: t0)
        let mainnetAddress = Address.p2wpkh(Fixture.keyHash).encoded(for: .mainnet)
        for name in [mainnetAddress, "nonsense.worker", ""] {
            let r = s.handle(Fixture.request(2, "mining.authorize", [.string(name), .string("x")]), now: t0)
            #expect(r.count == 1)
            #expect(r.response?.error?.code == 24)
            #expect(r.response?.error?.message.contains("Invalid payout address") == true)
            #expect(r.response?.error?.message.contains("for devnet") == true)
        }
        #expect(s.handle(Fixture.request(3, "mining.authorize", []), now: t0).response?.error?.code == 20)
        #expect(s.worker == nil)
    }

    @Test func unknownMethodsAndMalformedParamsGetErrors() {
        var s = Fixture.readySession()
        let unknown = s.handle(Fixture.request(5, "mining.get_transactions", []), now: t0)
        #expect(unknown.response == .failure(id: .integer(5), .unknownMethod))
        let bad = s.handle(Fixture.request(6, "mining.submit", [.string("w"), .string("a1")]), now: t0)
        #expect(bad.response?.error?.code == 20)
        let badEn2 = s.handle(Fixture.request(7, "mining.submit", [.string("w"), .string("a1"), .string("0011"),
                                                                  .string("00000000"), .string("00000000")]), now: t0)
        #expect(badEn2.response?.error?.code == 20)
        let malformed = s.handle(invalid: StratumRequestError(id: .null, reason: .notAnObject), now: Fixture.t0)
        #expect(malformed.response?.error?.code == 20)
        #expect(s.stats.rejected[.invalidParams] == 2)
    }

    @Test func submitBeforeSubscribeOrAuthorize() {
        var s = StratumSession(extranonce1: Fixture.extranonce1, network: .regtest, networkName: "devnet", now: t0)
        #expect(s.handle(Fixture.submit(1, job: "a1", nonce: 0), now: t0).response?.error?.code == 25)
        _ = s.handle(Fixture.request(2, "mining.subscribe", []), now: t0)
        #expect(s.handle(Fixture.submit(3, job: "a1", nonce: 0), now: t0).response?.error?.code == 24)
    }

    @Test func acceptedDuplicateAndUnknownJob() {
        var s = Fixture.readySession()
        #expect(s.handle(Fixture.submit(10, job: "a1", nonce: 1), now: t0).response?.result == .bool(true))
        #expect(s.handle(Fixture.submit(11, job: "a1", nonce: 1), now: t0).response?.error == .duplicate)
        // a different extranonce2 or version makes a different header
        #expect(s.handle(Fixture.submit(12, job: "a1", en2: [1, 0, 0, 0, 0, 0, 0, 0], nonce: 1), now: t0)
            .response?.result == .bool(true))
        #expect(s.handle(Fixture.submit(13, job: "a1", nonce: 1, version: 0x0000_2000), now: t0)
            .response?.result == .bool(true))
        #expect(s.handle(Fixture.submit(14, job: "zz", nonce: 1), now: t0).response?.error == .jobNotFound)
        #expect(s.stats.accepted == 3)
        #expect(s.stats.rejected == [.duplicate: 1, .jobNotFound: 1])
    }

    @Test func versionRollingInsideTheMaskOnly() throws {
        var s = Fixture.readySession(job: Fixture.job(shareTarget: .max))
        let ok = s.handle(Fixture.submit(1, job: "a1", nonce: 1, version: 0x1fff_e000), now: t0)
        #expect(try #require(ok.shares.first).header.version == 0x3fff_e000)
        // the whole version (non-rollable part equal to the job's) is accepted too
        let whole = s.handle(Fixture.submit(2, job: "a1", nonce: 1, version: 0x2000_4000), now: t0)
        #expect(try #require(whole.shares.first).header.version == 0x2000_4000)
        let bad = s.handle(Fixture.submit(3, job: "a1", nonce: 1, version: 0x0000_0001), now: t0)
        #expect(bad.response?.error == .invalidVersionBits)
        // without mining.configure nothing may roll
        var plain = StratumSession(extranonce1: Fixture.extranonce1, network: .regtest, networkName: "devnet", policy: Fixture.easyPolicy, now: t0)
        _ = plain.handle(Fixture.request(1, "mining.subscribe", []), now: t0)
        _ = plain.handle(Fixture.request(2, "mining.authorize", [.string(Fixture.address)]), now: t0)
        _ = plain.receive(job: Fixture.job(), now: t0)
        #expect(plain.handle(Fixture.submit(3, job: "a1", nonce: 1, version: 0x0000_2000), now: t0)
            .response?.error == .invalidVersionBits)
        #expect(plain.handle(Fixture.submit(4, job: "a1", nonce: 1, version: 0), now: t0).response?.result == .bool(true))
    }

    @Test func ntimeMustStayInRange() {
        var s = Fixture.readySession()
        let job = Fixture.job()
        #expect(s.handle(Fixture.submit(1, job: "a1", ntime: job.mintime - 1, nonce: 1), now: t0)
            .response?.error == .ntimeOutOfRange)
        #expect(s.handle(Fixture.submit(2, job: "a1", ntime: job.ntime + 7201, nonce: 1), now: t0)
            .response?.error == .ntimeOutOfRange)
        #expect(s.handle(Fixture.submit(3, job: "a1", ntime: job.mintime, nonce: 1), now: t0).response?.result == .bool(true))
        #expect(s.handle(Fixture.submit(4, job: "a1", ntime: job.ntime + 7200, nonce: 1), now: t0).response?.result == .bool(true))
    }

    @Test func staleAfterCleanJobButNotAfterUpdate() {
        var s = Fixture.readySession()
        _ = s.receive(job: Fixture.job(id: "a2", clean: false), now: t0)
        #expect(s.handle(Fixture.submit(1, job: "a1", nonce: 1), now: t0).response?.result == .bool(true))
        _ = s.receive(job: Fixture.job(id: "b1", clean: true), now: t0)
        #expect(s.handle(Fixture.submit(2, job: "a1", nonce: 2), now: t0).response?.error == .stale)
        #expect(s.handle(Fixture.submit(3, job: "a2", nonce: 2), now: t0).response?.error == .stale)
        #expect(s.handle(Fixture.submit(4, job: "b1", nonce: 2), now: t0).response?.result == .bool(true))
        #expect(s.stats.rejected[.stale] == 2)
    }

    @Test func blockIsSubmittedEvenWhenStale() throws {
        let easyBlock = UInt256.max >> 2  // one hash in four
        let job = Fixture.job(id: "a1", shareTarget: easyBlock, bitcoinTarget: easyBlock)
        var s = Fixture.readySession(job: job)
        _ = s.receive(job: Fixture.job(id: "b1", clean: true), now: t0)
        let nonce = Fixture.grind(job: job) { $0 <= easyBlock }
        let actions = s.handle(Fixture.submit(1, job: "a1", nonce: nonce), now: t0)
        #expect(actions.blocks.count == 1)
        #expect(actions.shares.isEmpty)
        #expect(actions.response?.error == .stale)
        let block = try #require(actions.blocks.first)
        #expect(block.header.nonce == nonce)
        #expect(block.hash.rawHash.asUInt256 == Fixture.hash(job: job, nonce: nonce))
        #expect(block.worker.payoutScript == Fixture.script)
        #expect(s.stats.blocks == 1)
    }

    @Test func shareFoundAtTheShareTargetOnly() {
        let half = UInt256.max >> 1
        let job = Fixture.job(shareTarget: half)
        var s = Fixture.readySession(job: job)
        let shareNonce = Fixture.grind(job: job) { $0 <= half }
        let pseudoNonce = Fixture.grind(job: job) { $0 > half }
        let share = s.handle(Fixture.submit(1, job: "a1", nonce: shareNonce), now: t0)
        #expect(share.response?.result == .bool(true))
        #expect(share.shares.count == 1 && share.blocks.isEmpty)
        let pseudo = s.handle(Fixture.submit(2, job: "a1", nonce: pseudoNonce), now: t0)
        #expect(pseudo.response?.result == .bool(true))
        #expect(pseudo.shares.isEmpty)
        #expect(s.stats.shares == 1 && s.stats.accepted == 2)
    }

    @Test func lowDifficultyJudgedAtTheJobsDifficulty() {
        var s = Fixture.readySession()
        // raise the difficulty: the current job is re-sent under a new id at the new difficulty
        let suggest = s.handle(Fixture.request(1, "mining.suggest_difficulty", [.integer(1_000_000)]), now: t0)
        #expect(suggest.response?.result == .bool(true))
        #expect(suggest.notificationMethods == ["mining.set_difficulty", "mining.notify"])
        guard case .notify(_, let alias, let clean)? = suggest.last else { Issue.record("no notify"); return }
        #expect(alias != "a1" && !clean)
        // the old id keeps its old (easy) difficulty; the alias needs difficulty 10^6
        #expect(s.handle(Fixture.submit(2, job: "a1", nonce: 3), now: t0).response?.result == .bool(true))
        #expect(s.handle(Fixture.submit(3, job: alias, nonce: 4), now: t0).response?.error == .lowDifficulty)
        // a header accepted under the old id is too easy under the alias
        #expect(s.handle(Fixture.submit(4, job: alias, nonce: 3), now: t0).response?.error == .lowDifficulty)
        #expect(s.stats.rejected[.lowDifficulty] == 2)
    }

    @Test func suggestDifficultyBeforeAuthorizeAndPasswordDifficulty() {
        var s = StratumSession(extranonce1: Fixture.extranonce1, network: .mainnet, now: t0)
        #expect(s.handle(Fixture.request(1, "mining.suggest_difficulty", [.integer(500)]), now: t0).response?.result == .bool(true))
        #expect(s.difficulty == StratumDifficulty(500))
        #expect(s.handle(Fixture.request(2, "mining.suggest_difficulty", [.string("0.5")]), now: t0).response?.result == .bool(true))
        #expect(s.difficulty == .one)  // whole numbers ≥ 1 on mainnet
        #expect(s.handle(Fixture.request(3, "mining.suggest_difficulty", [.string("lots")]), now: t0).response?.error?.code == 20)

        var d = StratumSession(extranonce1: Fixture.extranonce1, network: .regtest, networkName: "devnet", now: t0)
        _ = d.handle(Fixture.request(1, "mining.subscribe", []), now: t0)
        _ = d.handle(Fixture.request(2, "mining.authorize", [.string(Fixture.address), .string("x,d=0.25")]), now: t0)
        #expect(d.difficulty == StratumDifficulty(numerator: 1, denominator: 4))
        let work = d.receive(job: Fixture.job(), now: t0)
        guard case .send(.notification(let n))? = work.first else { Issue.record("no set_difficulty"); return }
        #expect(n == .setDifficulty(StratumDifficulty(numerator: 1, denominator: 4)!))
    }

    @Test func difficultyNeverExceedsTheShareDifficulty() {
        let shareTarget = UInt256.max >> 8  // difficulty ≈ 2^-24
        var s = Fixture.readySession(job: Fixture.job(shareTarget: shareTarget), password: "d=1000")
        #expect(s.difficulty == StratumDifficulty(1000))
        let nonce = Fixture.grind(job: Fixture.job()) { $0 <= shareTarget }
        let r = s.handle(Fixture.submit(1, job: "a1", nonce: nonce), now: t0)
        #expect(r.response?.result == .bool(true))
        #expect(r.shares.count == 1)
    }

    @Test func vardiffRetargetResendsTheJob() {
        var s = Fixture.readySession()  // difficulty 2^-32: every hash is a pseudo-share
        var retargeted: [StratumAction] = []
        for i in 0..<40 where retargeted.isEmpty {
            let actions = s.handle(Fixture.submit(100 + i, job: "a1", nonce: UInt32(i)), now: t0 + .seconds(10))
            #expect(actions.responses.first?.result == .bool(true), "\(actions.responses)")
            if actions.notificationMethods == ["mining.set_difficulty", "mining.notify"] { retargeted = actions }
        }
        #expect(s.difficulty == StratumDifficulty(raw: 4))  // 120/min: ×8 wanted, ×4 bound
        // quiet miner: tick lowers it again
        let t = t0 + .seconds(10) + .seconds(61)
        #expect(s.tick(now: t).notificationMethods == ["mining.set_difficulty", "mining.notify"])
        #expect(s.difficulty == StratumDifficulty(raw: 1))
    }

    @Test func oneAddressPerConnection() {
        var s = Fixture.readySession()
        #expect(s.handle(Fixture.request(1, "mining.authorize", [.string(Fixture.address + ".rig2")]), now: t0)
            .response?.result == .bool(true))
        #expect(s.handle(Fixture.request(2, "mining.authorize", [.string(Fixture.otherAddress)]), now: t0)
            .response?.error?.code == 24)
        // a job for another payout script is ignored
        #expect(s.receive(job: Fixture.job(id: "x", script: Script([0x51])), now: t0).isEmpty)
    }

    @Test func hashrateEstimateFollowsAcceptedDifficulty() {
        var stats = WorkerStats()
        for i in 0..<60 { stats.recordAccepted(StratumDifficulty(1), now: t0 + .seconds(i)) }
        // 60 pseudo-shares of difficulty 1 (2^32 hashes each) in 60 s
        let rate = stats.hashrate(now: t0 + .seconds(60))  // display only
        #expect(abs(rate - 4294967296.0) < 1e6)
        #expect(stats.accepted == 60)
    }
}
