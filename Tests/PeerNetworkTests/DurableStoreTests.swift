import Foundation
import Logging
import PeerNetwork
import PeerProtocol
import SharechainStore
import Testing

/// Issue 11, items 7 and 15: the address book in LevelDB is bounded, and bans persist in it.
@Suite("PeerNetwork: durable address book and bans")
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
            let book = DurablePeerAddressStore(book: store.peers, capacity: 10)
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
