import BitcoinPrimitives
import NIOCore
import PeerNetwork
import PeerProtocol
import Sharechain
import Testing
import TidepoolTestSupport

/// Issue 11, item 15: bans are of an address (every spelling, every connection), survive
/// restarts, and misbehaviour points survive reconnects.
@Suite("PeerNetwork: bans and scores by address", .serialized)
struct BanTests {
    @Test("addresses are canonical: IPv4-mapped IPv6 is the IPv4 address")
    func canonicalHosts() {
        #expect(PeerHost.canonical("::ffff:127.0.0.2") == "127.0.0.2")
        #expect(PeerHost.canonical("::FFFF:7f00:2") == "127.0.0.2")
        #expect(PeerHost.canonical("[2001:DB8:0:0::1]") == "2001:db8::1")
        #expect(PeerHost.canonical("Seed.Example.org") == "seed.example.org")
        var bans = BanList()
        let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)
        bans.ban("::ffff:10.1.2.3", until: t0 + .hours(1))
        #expect(bans.isBanned("10.1.2.3", now: t0))
        #expect(PeerHost.group("10.1.2.3") == PeerHost.group("::ffff:10.1.200.9"))
        #expect(PeerHost.isNonPublic("192.168.1.1") && PeerHost.isNonPublic("fe80::1") && !PeerHost.isNonPublic("8.8.8.8"))
    }

    @Test("a ban closes every connection of the IP and survives a restart")
    func banClosesAllAndPersists() async throws {
        let bans = MemoryPeerBanStore()
        let victim = try await TestNode.start(banStore: bans)
        do {
            let bystander = try await RawPeer.connect(to: victim.port, from: attackerIP)
            #expect(bystander.log.established != nil)
            let attacker = try await rawConnection(to: victim.port, from: attackerIP)
            try await attacker.writeAndFlush(ByteBuffer(bytes: Array("GET / HTTP/1.1\r\nHost: tidepool\r\n\r\n".utf8)))
            try await eventually("ban") { victim.manager.isBanned("::ffff:\(attackerIP)") }
            // Before: the attacker's other connection stayed open.
            try await withTimeout(.seconds(10)) { try await bystander.channel.closeFuture.get() }
            #expect(await bans.bans().map(\.host) == [attackerIP])
        } catch {
            await victim.stop()
            throw error
        }
        await victim.stop()
        // Restarted on the same store: still banned, new connections refused at accept.
        let restarted = try await TestNode.start(banStore: bans)
        do {
            try await eventually("bans restored") { restarted.manager.isBanned(attackerIP) }
            let again = try await rawConnection(to: restarted.port, from: attackerIP)
            try await withTimeout(.seconds(10)) { try await again.closeFuture.get() }
        } catch {
            await restarted.stop()
            throw error
        }
        await restarted.stop()
    }

    @Test("misbehaviour points are kept across reconnects: disconnecting does not reset the score")
    func scoresSurviveReconnect() async throws {
        try await withNodes(1) { nodes in
            let victim = nodes[0]
            let ip = "127.0.0.3"
            let h = ShareHash(rawHash: SHA256d.hash([1]))
            let duplicate = PeerMessage.getshares(GetSharesMessage(hashes: [h, h]))
            let first = try await RawPeer.connect(to: victim.port, from: ip)
            for _ in 0..<3 { try await first.send(duplicate) }
            try await first.roundTrip()
            await first.close()
            try await eventually("score recorded") { victim.manager.misbehaviourPoints(ip) == 60 }
            // Reconnecting starts at 60: two more offences ban (before: five).
            let second = try await RawPeer.connect(to: victim.port, from: ip)
            try await second.roundTrip()
            for _ in 0..<2 { try? await second.send(duplicate) }
            try await eventually("ban") { victim.manager.isBanned(ip) }
            await second.close()
        }
    }
}
