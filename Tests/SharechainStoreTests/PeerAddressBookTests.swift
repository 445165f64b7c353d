import SharechainStore
import Testing

@Suite struct PeerAddressBookTests {
    @Test func roundTripBanAndRemove() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let a = PeerAddressEntry(host: "203.0.113.5", port: 9333, lastSeen: 1_700_000_100,
                                 lastSuccess: 1_700_000_050, failures: 2, banUntil: 0)
        let b = PeerAddressEntry(host: "2001:db8::1", port: 19333, lastSeen: 1_700_000_200)
        do {
            let store = try openStore(dir.path)
            try store.peers.upsert(a)
            try store.peers.upsert(b)
            try store.peers.ban(host: "2001:db8::1", port: 19333, until: 1_700_003_600)
            try store.peers.ban(host: "seed.example.org", port: 9333, until: 1_700_000_900)
        }
        let store = try openStore(dir.path)
        var bannedB = b
        bannedB.banUntil = 1_700_003_600
        let c = PeerAddressEntry(host: "seed.example.org", port: 9333, banUntil: 1_700_000_900)
        #expect(try store.peers.all() == [a, bannedB, c])
        #expect(bannedB.text == "[2001:db8::1]:19333")
        #expect(bannedB.isBanned(at: 1_700_003_599) && !bannedB.isBanned(at: 1_700_003_600))
        try store.peers.unban(host: "2001:db8::1", port: 19333)
        #expect(try store.peers.entry(host: "2001:db8::1", port: 19333) == b)
        try store.peers.unban(host: "unknown", port: 1)
        #expect(try store.peers.entry(host: "unknown", port: 1) == nil)
        try store.peers.remove(host: "203.0.113.5", port: 9333)
        #expect(try store.peers.all() == [b, c])
        #expect(store.count() == 0, "peers are not shares")
        #expect(throws: ShareStoreError.invalidPeerHost("")) { try store.peers.upsert(PeerAddressEntry(host: "", port: 1)) }
    }

    @Test("an address record written before the tried/new tables decodes with no source and no anchor")
    func oldRecordsDecode() throws {
        do {
            // The version-1 layout: host, port, lastSeen, lastSuccess, failures, banUntil.
            var old: [UInt8] = [7] + Array("5.9.1.1".utf8) + [0x8d, 0x20]
            old += withUnsafeBytes(of: Int64(1_000).littleEndian, Array.init)
            old += withUnsafeBytes(of: Int64(0).littleEndian, Array.init)
            old += withUnsafeBytes(of: UInt32(0).littleEndian, Array.init)
            old += withUnsafeBytes(of: Int64(0).littleEndian, Array.init)
            let entry = try PeerAddressEntry(serialized: old)
            #expect(entry.host == "5.9.1.1" && entry.port == 8333 && entry.lastSeen == 1_000)
            #expect(entry.source == "" && !entry.isAnchor)
        }
        let current = PeerAddressEntry(host: "5.9.1.1", port: 8333, lastSeen: 1_000, lastSuccess: 2_000,
                                       source: "81.2", isAnchor: true)
        #expect(try PeerAddressEntry(serialized: current.serialized) == current)
    }
}
