import Foundation
import PeerNetwork
import PeerProtocol
import Testing
import TidepoolTestSupport

/// Issue "Consensus and network hardening", item 6 (eclipse): outbound connections are
/// spread over network groups, taken in no fixed order, and failing addresses are
/// forgotten (Docs/SECURITY.md, "Peer-to-peer").
@Suite("PeerNetwork: outbound selection")
struct OutboundSelectionTests {
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    func address(_ host: String) -> PeerAddress { PeerAddress(host: host, port: 9333, lastSeen: 1_700_000_000) }

    @Test("an attacker's subnet gets one outbound slot however many addresses it advertises")
    func oneConnectionPerGroup() {
        let attacker = (1...200).map { address("81.2.\($0 / 250).\($0 % 250 + 1)") }  // one /16
        let honest = ["5.9.1.1", "88.99.1.1", "2a01:4f8::1", "2a01:4f9::1"].map(address)
        var rng = Seeded(state: 1)
        let selection = OutboundSelection(allowPrivateAddresses: false)
        let ordered = selection.order(attacker + honest, busyGroups: [], excluded: { _ in false }, using: &rng)
        #expect(ordered.filter { $0.host.hasPrefix("81.2.") }.count == 1)
        #expect(Set(ordered.map(\.host)).isSuperset(of: honest.map(\.host)))
        #expect(ordered.count == 1 + honest.count)
        // With an outbound connection into that /16 already, none of it.
        var again = Seeded(state: 2)
        let busy = selection.order(attacker + honest, busyGroups: [PeerHost.group("81.2.0.9")], excluded: { _ in false },
                                   using: &again)
        #expect(!busy.contains { $0.host.hasPrefix("81.2.") })
    }

    @Test("the order is random, not decided by who advertised last")
    func noFixedOrder() {
        let book = (1...50).map { address("\($0 + 10).1.1.1") }
        let selection = OutboundSelection(allowPrivateAddresses: false)
        var firsts: Set<String> = []
        for seed in 1...20 {
            var rng = Seeded(state: UInt64(seed))
            firsts.insert(selection.order(book, busyGroups: [], excluded: { _ in false }, using: &rng)[0].host)
        }
        #expect(firsts.count > 5)
    }

    @Test("loopback is exempt; private addresses only where they are allowed (devnet, regtest)")
    func exemptions() {
        let local = (1...5).map { address("127.0.0.\($0)") }
        let lan = (1...5).map { address("192.168.1.\($0)") }
        var rng = Seeded(state: 3)
        let strict = OutboundSelection(allowPrivateAddresses: false)
        #expect(strict.order(local + lan, busyGroups: [], excluded: { _ in false }, using: &rng).count == 5 + 1)
        let lenient = OutboundSelection(allowPrivateAddresses: true)
        #expect(lenient.order(local + lan, busyGroups: [], excluded: { _ in false }, using: &rng).count == 10)
    }

    @Test("a gossip-learned address that keeps failing is removed from the address book")
    func failingAddressIsForgotten() async throws {
        // A port nobody listens on: bind, read the port, close.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let deadPort = UInt16(bigEndian: sa.sin_port)
        close(fd)

        let book = MemoryPeerAddressStore()
        await book.add([PeerAddress(host: "127.0.0.1", port: deadPort, lastSeen: 1_700_000_000)])
        let node = try await TestNode.start(outboundTarget: 1, addressStore: book)
        try await eventually("the dead address forgotten") { await book.addresses(limit: 10).isEmpty }
        await node.stop()
    }
}
