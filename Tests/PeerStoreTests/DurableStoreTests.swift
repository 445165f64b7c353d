import Foundation
import Logging
import PeerNetwork
import PeerProtocol
import PeerStore
import SharechainStore
import Testing

/// Issue 11, items 7 and 15: the address book in LevelDB is bounded, and bans persist in it.
@Suite("PeerStore: durable address book and bans")
struct DurableStoreTests {
    func withStore(_ body: (() throws -> LevelDBShareStore) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-p2p-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        try await body { try LevelDBShareStore(path: path, configuration: .init(syncWrites: false), logger: logger) }
    }

    @Test("the durable address book keeps the most recently seen addresses up to its capacity, bans apart")
    func addressBookIsBounded() async throws {
        try await withStore { open in
            let store = try open()
            let book = DurablePeerAddressStore(book: store.peers,
                                               limits: .init(newCapacity: 10, newPerSource: 10, triedCapacity: 4))
            let bans = DurablePeerBanStore(book: store.peers)
            await bans.ban(PeerBan(host: "203.0.113.9", until: 4_000_000_000))
            for i in 0..<25 {
                await book.add([PeerAddress(host: "198.51.100.\(i)", port: 8333, lastSeen: UInt64(1_000 + i))])
            }
            let kept = await book.addresses(limit: 100)
            #expect(kept.count == 10)
            #expect(kept.map(\.host) == (15..<25).reversed().map { "198.51.100.\($0)" })
            #expect(!kept.contains { $0.port == 0 })
            #expect(await bans.bans() == [PeerBan(host: "203.0.113.9", until: 4_000_000_000)])
            #expect(try store.peers.all().filter { $0.port != 0 }.count == 10)
        }
    }

    @Test("tried entries, sources and anchors survive a restart; anchors are handed out once")
    func tablesSurviveReopen() async throws {
        try await withStore { open in
            let proven = PeerAddress(host: "5.9.1.1", port: 8333, lastSeen: 1_000)
            let heard = PeerAddress(host: "88.99.1.1", port: 8333, lastSeen: 1_001)
            do {
                let store = try open()
                let book = DurablePeerAddressStore(book: store.peers)
                await book.add([heard], source: "81.2")
                await book.markTried(proven, now: 2_000)
                await book.saveAnchors([proven])
            }
            do {
                let store = try open()
                let book = DurablePeerAddressStore(book: store.peers)
                #expect(await book.entry(proven)?.lastSuccess == 2_000)
                #expect(await book.entry(heard)?.source == "81.2")
                #expect(await book.entry(heard)?.isTried == false)
                let candidates = await book.candidates(limit: 10)
                #expect(candidates.tried.map(\.host) == ["5.9.1.1"])
                #expect(candidates.new.map(\.host) == ["88.99.1.1"])
                #expect(await book.takeAnchors().map(\.host) == ["5.9.1.1"])
            }
            let store = try open()
            #expect(await DurablePeerAddressStore(book: store.peers).takeAnchors().isEmpty)
        }
    }

    @Test("bans written to LevelDB are read back after the store is reopened")
    func bansSurviveReopen() async throws {
        try await withStore { open in
            do {
                let store = try open()
                await DurablePeerBanStore(book: store.peers).ban(PeerBan(host: "192.0.2.7", until: 4_000_000_000))
            }
            let reopened = try open()
            #expect(await DurablePeerBanStore(book: reopened.peers).bans() == [PeerBan(host: "192.0.2.7", until: 4_000_000_000)])
        }
    }
}
