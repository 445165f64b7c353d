import BitcoinPrimitives
import Foundation
import Logging
import Sharechain
import SharechainService
import SharechainStore
import SharechainTestSupport
import Testing

/// Issue 17: a batch of received shares (a `shares` message) is applied with its signatures
/// checked ahead on helper threads and its accepted shares written in one store batch; the
/// outcomes and the stored chain are those of submitting the shares one by one.
@Suite("SharechainService: batch submit")
struct BatchSubmitTests {
    /// 40 shares; share 15 carries a bad signature (so 16… are orphans), and the batch also
    /// repeats share 3 (a duplicate) and delivers 30 before 29 (an orphan released at once).
    static func batch() async throws -> [WireShare] {
        let source = try LocalShareChain(parameters: testParameters(network: .devnet), store: MemoryShareStore())
        var shares: [WireShare] = []
        for i in 0..<40 {
            var snap = await source.snapshot()
            let s = ShareFactory().next(on: &snap, script: payout(UInt8(1 + i % 5)))
            _ = await source.submit(s, from: .local)
            shares.append(s)
        }
        var bad = shares[15]
        bad.signature = shares[14].signature  // a valid signature of another header
        var out = Array(shares[0..<15]) + [bad] + Array(shares[16..<20]) + [shares[3]]
        out += [shares[30], shares[29]]
        return out
    }

    func withStore(_ body: (LevelDBShareStore) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-batch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try LevelDBShareStore(path: path, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await body(store)
    }

    @Test("batch submit gives the outcomes and stored chain of one-by-one submits")
    func batchEqualsOneByOne() async throws {
        let shares = try await Self.batch()
        try await withStore { oneStore in
            try await withStore { batchStore in
                let one = try LocalShareChain(parameters: testParameters(network: .devnet), store: oneStore)
                var sequential: [SubmitOutcome] = []
                for s in shares { sequential.append(await one.submit(s, from: PeerID(rawValue: 2))) }
                let batched = try LocalShareChain(parameters: testParameters(network: .devnet), store: batchStore)
                let outcomes = await batched.submit(shares, from: PeerID(rawValue: 2))
                #expect(outcomes == sequential)
                #expect(outcomes[15] == .rejected(.badSignature))
                #expect(outcomes[20] == .duplicate)
                #expect(await batched.bestTip() == one.bestTip())
                #expect(batchStore.count() == oneStore.count())
                #expect(batchStore.count() == 15)
                #expect(try batchStore.bestTip() == oneStore.bestTip())
                #expect(try batchStore.bestTip() == shares[14].hash)
                // A later single submit lands after the batch's writes.
                var snap = await batched.snapshot()
                let next = ShareFactory().next(on: &snap, script: payout(9))
                guard case .accepted = await batched.submit(next, from: .local) else {
                    Issue.record("next share refused"); return
                }
                #expect(batchStore.count() == 16)
                #expect(try batchStore.bestTip() == next.hash)
            }
        }
    }
}
