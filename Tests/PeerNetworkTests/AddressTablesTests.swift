import PeerNetwork
import PeerProtocol
import Testing
import TidepoolTestSupport

/// Issue 11 item 6 (eclipse), Bitcoin Core's address manager in small: new and tried tables,
/// per-source limits, anchors (Docs/SECURITY.md, "Peer-to-peer").
@Suite("PeerNetwork: address tables (tried, new, anchors)")
struct AddressTablesTests {
    func address(_ host: String, seen: UInt64 = 1_700_000_000) -> PeerAddress {
        PeerAddress(host: host, port: 9333, lastSeen: seen)
    }

    /// 1,000 fresh addresses from one attacker subnet.
    func flood(seen: UInt64 = 1_800_000_000) -> [PeerAddress] {
        (0..<1_000).map { address("81.\(2 + $0 / 250).\($0 % 250).1", seen: seen) }
    }

    @Test("a flood of fresh gossip from one subnet evicts neither tried peers nor other sources' addresses")
    func floodCannotEvict() {
        var tables = AddressTables(limits: .init(newCapacity: 64, newPerSource: 16, triedCapacity: 8))
        let proven = (1...4).map { address("5.\($0).1.1") }
        for p in proven { _ = tables.markTried(p, now: 1_700_000_100) }
        let honest = (1...8).map { address("88.\($0).1.1") }
        _ = tables.add(honest, source: "88.99")
        // Far fresher than anything honest, from one /16.
        let change = tables.add(flood(), source: "81.2")
        #expect(tables.count == 4 + 8 + 16)
        #expect(tables.newCount == 8 + 16)
        for a in proven + honest { #expect(tables.entry(a) != nil) }
        #expect(!change.removed.contains { $0.host.hasPrefix("5.") || $0.host.hasPrefix("88.") })
        // The attacker keeps only its freshest 16 (its own stalest went first).
        #expect(tables.candidates(limit: 100).new.count == 24)
    }

    @Test("when the new table is full, the source holding the most gives way, never a small one")
    func fullTableEvictsTheLargestSource() {
        var tables = AddressTables(limits: .init(newCapacity: 10, newPerSource: 8, triedCapacity: 8))
        _ = tables.add((1...8).map { address("81.2.0.\($0)", seen: 2_000 + UInt64($0)) }, source: "81.2")
        _ = tables.add([address("88.99.1.1", seen: 1_000), address("88.99.1.2", seen: 1_001)], source: "88.99")
        let change = tables.add([address("62.1.1.1", seen: 900)], source: "62.1")
        #expect(change.removed == [address("81.2.0.1", seen: 2_001)])
        #expect(tables.entry(address("88.99.1.1")) != nil && tables.entry(address("62.1.1.1")) != nil)
    }

    @Test("gossip refreshes a known address's last-seen but cannot move it out of the tried table")
    func gossipKeepsTried() {
        var tables = AddressTables()
        let p = address("5.9.1.1", seen: 1_000)
        _ = tables.markTried(p, now: 1_500)
        _ = tables.add([address("5.9.1.1", seen: 1_600)], source: "81.2")
        let e = tables.entry(p)
        #expect(e?.isTried == true && e?.lastSuccess == 1_500 && e?.address.lastSeen == 1_600 && e?.source == "")
    }

    @Test("the tried table drops the peer with the oldest successful connection when full")
    func triedCapacity() {
        var tables = AddressTables(limits: .init(newCapacity: 8, newPerSource: 8, triedCapacity: 2))
        _ = tables.markTried(address("5.1.1.1"), now: 100)
        _ = tables.markTried(address("5.2.1.1"), now: 300)
        let change = tables.markTried(address("5.3.1.1"), now: 200)
        #expect(change.removed.map(\.host) == ["5.1.1.1"])
        #expect(Set(tables.candidates(limit: 10).tried.map(\.host)) == ["5.2.1.1", "5.3.1.1"])
    }

    @Test("anchors are the addresses saved at shutdown, handed out once")
    func anchors() {
        var tables = AddressTables()
        for h in ["5.1.1.1", "5.2.1.1", "5.3.1.1"] { _ = tables.markTried(address(h), now: 100) }
        _ = tables.setAnchors([address("5.3.1.1"), address("5.1.1.1")])
        let (first, _) = tables.takeAnchors()
        #expect(first.map(\.host) == ["5.1.1.1", "5.3.1.1"])
        #expect(tables.takeAnchors().0.isEmpty)
    }

    @Test("outbound picks come from the tried table about half the time, however large the new table")
    func selectionMixesTables() {
        let tried = (1...20).map { address("5.\($0).1.1") }
        let new = (1...300).map { address("\(20 + $0 / 200).\($0 % 200).1.1") }
        let selection = OutboundSelection(allowPrivateAddresses: false)
        var rng = OutboundSelectionTests.Seeded(state: 7)
        var firstTried = 0
        for _ in 0..<200 {
            let order = selection.order(tried: tried, new: new, busyGroups: [], excluded: { _ in false }, using: &rng)
            if order[0].host.hasPrefix("5.") { firstTried += 1 }
        }
        #expect((65...135).contains(firstTried), "\(firstTried) of 200")
    }

    @Test("a node restarted with anchors dials them first, before anything the address book was flooded with")
    func restartDialsAnchorsFirst() async throws {
        let anchorNode = try await TestNode.start()
        defer { Task { await anchorNode.stop() } }
        let anchorPort = try await anchorNode.manager.listeningPort()
        let book = MemoryPeerAddressStore()
        let anchor = PeerAddress(host: "127.0.0.1", port: UInt16(anchorPort), lastSeen: 1_000)
        await book.add([anchor])
        await book.saveAnchors([anchor])
        // Flood the book with 300 fresher addresses nobody listens on (TEST-NET-3, port 9):
        // the anchor is the stalest entry, outside the 256 candidates a round reads, so only
        // the anchor rule can reach it.
        for s in 0..<3 {
            await book.add((1...100).map { PeerAddress(host: "203.0.\(113 + s).\($0)", port: 9, lastSeen: 2_000_000_000) },
                           source: "198.\(s)")
        }
        #expect(!(await book.candidates(limit: OutboundSelection.candidatesPerTable).new.contains(anchor)))
        let node = try await TestNode.start(outboundTarget: 1, addressStore: book)
        defer { Task { await node.stop() } }
        try await eventually("connected to the anchor") { await node.manager.peerCount == 1 }
        #expect(await book.takeAnchors().isEmpty, "anchors are used once")
    }
}
