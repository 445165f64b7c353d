import BitcoinPrimitives
import NIOCore
@testable import PeerNetwork
import PeerProtocol
import Sharechain
import SharechainService
import Testing
import TidepoolTestSupport

/// Issue 11, item 4: a peer claiming more chain work than it delivers cannot hold the sync.
@Suite("PeerNetwork: sync hijacking", .serialized)
struct SyncHijackTests {
    static let overclaimPenalty = PeerManagerConfiguration(parameters: peerTestParameters()).syncOverclaimPenalty

    /// 2,000 hashes nobody has.
    static let fakeHashes = (0..<ShareHashesMessage.maxCount).map { i in
        ShareHash(rawHash: SHA256d.hash(Array("fake \(i)".utf8)))
    }

    @Test("a liar announcing endless rounds of hashes it never delivers loses the sync to an honest peer")
    func fakeRoundsDoNotHoldTheSync() async throws {
        try await withNodes(2) { nodes in
            let (victim, honest) = (nodes[0], nodes[1])
            for i in 0..<5 { await honest.mine(script: payoutScript(UInt8(i + 1))) }
            let honestTip = try #require(await honest.tip())
            // The liar claims enormous work and answers every locator with 2,000 hashes it
            // then "does not have" (empty `shares`): before the fix every round was full,
            // so it was continued forever and the honest peer was never asked.
            let liar = try await RawPeer.connect(to: victim.port, chainWork: .max, from: "127.0.0.6")
            let answers = liar.answering { m in
                switch m {
                case .getlocator: return .sharehashes(ShareHashesMessage(hashes: Self.fakeHashes))
                case .getshares: return .shares(SharesMessage(shares: []))
                default: return nil
                }
            }
            try await eventually("victim asks the liar") { liar.count(.getlocator) >= 1 }
            await honest.connect(to: victim)
            // Normally at once; the design's bound is the stall timeout (30 s), which a loaded
            // CI machine (the whole suite in parallel on 2 cores) can approach: wait past it.
            try await eventually("victim syncs the honest chain", timeout: .seconds(45)) { await victim.tip() == honestTip }
            try await eventually("victim synced") { victim.manager.isSynced }
            // The liar was asked once and is not chosen again.
            let rounds = liar.count(.getlocator)
            #expect(rounds == 1)
            answers.cancel()
            await liar.close()
            // It delivered nothing against its claim: charged (kept across reconnects).
            try await eventually("liar charged") {
                victim.manager.misbehaviourPoints("127.0.0.6") == SyncHijackTests.overclaimPenalty
            }
        }
    }

    @Test("a liar that never answers the locator holds the sync for the stall timeout only")
    func silentLiarStallsBriefly() async throws {
        let started = ContinuousClock.now
        let victim = try await TestNode.start(tweak: { c in
            c.syncStallTimeout = .milliseconds(500)
            c.syncGracePeriod = .seconds(3)
            c.timings.responseTimeout = .seconds(600)  // the stall rule, not the response timeout, acts
        })
        do {
            let liar = try await RawPeer.connect(to: victim.port, chainWork: .max)
            try await eventually("victim asks the liar") { liar.count(.getlocator) >= 1 }
            try await eventually("victim synced without the liar", timeout: .seconds(10)) { victim.manager.isSynced }
            // Not before the grace period: the liar's claim kept it from latching early
            // (measured from before the start, so a slow machine cannot make this pass or fail).
            #expect(ContinuousClock.now - started >= .seconds(3))
            #expect(liar.count(.getlocator) == 1)
            await liar.close()
        } catch {
            await victim.stop()
            throw error
        }
        await victim.stop()
    }

    @Test("isSynced latches after syncMaxDuration even while a peer that is always eligible keeps claiming more work")
    func syncedLatchesInBoundedTime() async throws {
        let started = ContinuousClock.now
        let victim = try await TestNode.start(tweak: { c in
            c.syncStallTimeout = .milliseconds(300)
            c.syncExclusion = .zero  // the liar is eligible again at once (as if it had a fresh node key)
            c.syncMaxDuration = .seconds(2)
            c.syncGracePeriod = .seconds(600)
            c.timings.responseTimeout = .seconds(600)
        })
        do {
            let liar = try await RawPeer.connect(to: victim.port, chainWork: .max)
            try await eventually("liar asked twice") { liar.count(.getlocator) >= 2 }
            try await eventually("synced despite the liar", timeout: .seconds(15)) { victim.manager.isSynced }
            // It latched by the sync deadline, not earlier: the liar's claims held it until then.
            #expect(ContinuousClock.now - started >= .seconds(2))
            await liar.close()
        } catch {
            await victim.stop()
            throw error
        }
        await victim.stop()
    }

    @Test("a stalled round is detected by the pure coordinator; a full round without new shares is not continued")
    func coordinatorRules() {
        let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var sync = SyncCoordinator()
        let peer = PeerID(rawValue: 7)
        sync.begin(with: peer, now: t0)
        #expect(!sync.isStalled(now: t0 + .seconds(29), timeout: .seconds(30)))
        #expect(sync.isStalled(now: t0 + .seconds(30), timeout: .seconds(30)))
        // A full round of hashes, none delivered: not continued.
        sync.hashesReceived(all: Self.fakeHashes, unknown: Self.fakeHashes, limit: ShareHashesMessage.maxCount)
        for (p, batch) in sync.assign(eligible: [peer], batch: 250, perPeer: 100) {
            sync.sharesReceived(from: p, hashes: [], now: t0)
            _ = batch
        }
        #expect(sync.roundComplete)
        #expect(sync.finishRound() == nil)
        #expect(sync.isIdle)
        // A full round that delivered shares is continued, and delivery resets the stall clock.
        sync.begin(with: peer, now: t0)
        sync.hashesReceived(all: Self.fakeHashes, unknown: Self.fakeHashes, limit: ShareHashesMessage.maxCount)
        for (p, batch) in sync.assign(eligible: [peer], batch: 250, perPeer: 100) {
            sync.sharesReceived(from: p, hashes: Set(batch), now: t0 + .seconds(20))
        }
        #expect(!sync.isStalled(now: t0 + .seconds(40), timeout: .seconds(30)))
        #expect(sync.finishRound() == Self.fakeHashes.last)
        #expect(sync.roundPeer == peer)
        // A full round naming only shares we already hold (a side branch) is continued;
        // only the stall timeout bounds a peer that repeats it.
        sync.hashesReceived(all: Self.fakeHashes, unknown: [], limit: ShareHashesMessage.maxCount)
        #expect(sync.roundComplete)
        #expect(sync.finishRound() == Self.fakeHashes.last)
        #expect(sync.isStalled(now: t0 + .seconds(50), timeout: .seconds(30)))
    }
}
