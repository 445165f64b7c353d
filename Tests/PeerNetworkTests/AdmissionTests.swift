import BitcoinPrimitives
import Foundation
import NIOCore
import PeerNetwork
import PeerProtocol
import Sharechain
import SharechainService
import Testing
import TidepoolTestSupport

/// Issue 11, items 7 and 12: what gossip may put in the address book, and who gets an
/// inbound slot.
@Suite("PeerNetwork: address gossip and inbound admission", .serialized)
struct AdmissionTests {
    @Test("private addresses are allowed by default on devnet and regtest only")
    func privateAddressDefault() {
        #expect(PeerManagerConfiguration(parameters: peerTestParameters()).allowPrivateAddresses)
        var main = peerTestParameters()
        main.network = .mainnet
        #expect(!PeerManagerConfiguration(parameters: main).allowPrivateAddresses)
    }

    @Test("gossiped addresses: IP literals only, public unless allowed, port not 0, last_seen not trusted")
    func addrValidation() async throws {
        let victim = try await TestNode.start(tweak: { $0.allowPrivateAddresses = false })
        do {
            let peer = try await RawPeer.connect(to: victim.port)
            let now = UInt64(Date.now.timeIntervalSince1970)
            let future = now + 1_000_000
            try await peer.send(.addr(AddrMessage(addresses: [
                PeerAddress(host: "127.0.0.1", port: 1, lastSeen: now),            // loopback
                PeerAddress(host: "10.0.0.1", port: 8333, lastSeen: now),          // private
                PeerAddress(host: "fe80::1", port: 8333, lastSeen: now),           // link-local
                PeerAddress(host: "0.0.0.0", port: 8333, lastSeen: now),           // unspecified
                PeerAddress(host: "victim.example.org", port: 8333, lastSeen: now), // DNS name
                PeerAddress(host: "8.8.8.8", port: 0, lastSeen: now),              // port 0
                PeerAddress(host: "::ffff:1.2.3.4", port: 8333, lastSeen: future),  // mapped, lying about time
                PeerAddress(host: "9.9.9.9", port: 8333, lastSeen: 1000),
            ])))
            try await peer.roundTrip()
            let answers = peer.received.compactMap { if case .addr(let m) = $0 { m } else { nil } }
            let listed = try #require(answers.last).addresses
            #expect(Set(listed.map(\.description)) == ["1.2.3.4:8333", "9.9.9.9:8333"])
            let mapped = try #require(listed.first { $0.host == "1.2.3.4" })
            #expect(mapped.lastSeen <= UInt64(Date.now.timeIntervalSince1970) - 2 * 3600)
            #expect(listed.first { $0.host == "9.9.9.9" }?.lastSeen == 0)
            await peer.close()
        } catch {
            await victim.stop()
            throw error
        }
        await victim.stop()
    }

    @Test("eviction protects peers that deliver shares and takes the newest of the largest group")
    func evictionChoice() {
        let t = NIODeadline.uptimeNanoseconds(1_000_000_000)
        typealias C = InboundEviction.Candidate
        let useful = C(id: PeerID(rawValue: 1), group: "a", usefulShares: 10, connectedAt: t)
        let a2 = C(id: PeerID(rawValue: 2), group: "a", usefulShares: 0, connectedAt: t + .seconds(1))
        let b1 = C(id: PeerID(rawValue: 3), group: "b", usefulShares: 0, connectedAt: t + .seconds(2))
        let b2 = C(id: PeerID(rawValue: 4), group: "b", usefulShares: 0, connectedAt: t + .seconds(3))
        let b3 = C(id: PeerID(rawValue: 5), group: "b", usefulShares: 0, connectedAt: t + .seconds(4))
        #expect(InboundEviction.select([useful, a2, b1, b2, b3], protectByShares: 4) == PeerID(rawValue: 5))
        #expect(InboundEviction.select([useful, a2], protectByShares: 4) == PeerID(rawValue: 2))
        #expect(InboundEviction.select([useful], protectByShares: 4) == nil)
        #expect(InboundEviction.select([useful], protectByShares: 0) == PeerID(rawValue: 1))
        // The fastest measured peers are protected next: b3 (newest of the largest group) answers pings fastest.
        var fast = b3
        fast.pingTime = .milliseconds(5)
        var slow = b2
        slow.pingTime = .milliseconds(900)
        #expect(InboundEviction.select([useful, a2, b1, slow, fast], protectByShares: 4, protectByPingTime: 1) == PeerID(rawValue: 4))
    }

    func rejectCode(_ p: RawPeer) -> RejectMessage.Code? {
        if case .rejectedByPeer(let code, _)? = p.log.closed?.0 { code } else { nil }
    }

    @Test("a full inbound table answers reject 7 when every peer is protected, else evicts the worst with reject 7")
    func fullTable() async throws {
        let victim = try await TestNode.start(tweak: { $0.inboundCap = 1 })
        do {
            // The only inbound peer feeds us a share: protected.
            let feeder = try await RawPeer.connect(to: victim.port)
            var snapshot = await victim.chain.snapshot()
            let share = ShareMinter().next(on: &snapshot, script: payoutScript(3))
            try await feeder.send(.shares(SharesMessage(shares: [share])))
            try await eventually("share accepted") { await victim.tip() == share.hash }
            let refused = try await RawPeer.connect(to: victim.port)
            try await eventually("reject 7") { rejectCode(refused) == .tooManyPeers }
            #expect(refused.log.established == nil)
            #expect(feeder.log.closed == nil)
            await refused.close()
            await feeder.close()
        } catch {
            await victim.stop()
            throw error
        }
        await victim.stop()

        let second = try await TestNode.start(tweak: { $0.inboundCap = 1 })
        do {
            let idle = try await RawPeer.connect(to: second.port)
            let newcomer = try await RawPeer.connect(to: second.port)
            #expect(newcomer.log.established != nil)
            try await eventually("idle peer evicted with reject 7") { rejectCode(idle) == .tooManyPeers }
            await newcomer.close()
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }

    @Test("one IP gets at most inboundPerIP inbound slots")
    func perIPCap() async throws {
        let victim = try await TestNode.start(tweak: { c in
            c.loopbackExemptFromCaps = false
            c.inboundPerIP = 2
        })
        do {
            let a = try await RawPeer.connect(to: victim.port, from: "127.0.0.4")
            let b = try await RawPeer.connect(to: victim.port, from: "127.0.0.4")
            let c = try await RawPeer.connect(to: victim.port, from: "127.0.0.4")
            #expect(a.log.established != nil && b.log.established != nil)
            try await eventually("reject 7") { rejectCode(c) == .tooManyPeers }
            let other = try await RawPeer.connect(to: victim.port, from: "127.0.0.5")
            #expect(other.log.established != nil)
            for p in [a, b, c, other] { await p.close() }
        } catch {
            await victim.stop()
            throw error
        }
        await victim.stop()
    }
}
