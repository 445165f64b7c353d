import BitcoinPrimitives
import Sharechain
import SharechainService
import SharechainTestSupport
import Testing

@Suite("SharechainService: LocalShareChain")
struct LocalShareChainTests {
    @Test("locator answers, orphans released recursively, duplicates and invalid shares")
    func chainAccess() async throws {
        let params = testParameters(network: .devnet)
        let source = try LocalShareChain(parameters: params, store: MemoryShareStore())
        var shares: [WireShare] = []
        for i in 0..<50 {
            var snap = await source.snapshot()
            let s = ShareFactory().next(on: &snap, script: payout(UInt8(1 + i % 3)))
            guard case .accepted = await source.submit(s, from: .local) else { Issue.record("share \(i)"); return }
            shares.append(s)
        }
        let all = await source.hashes(after: [], stop: .none, limit: 2000)
        #expect(all == shares.map(\.hash))
        #expect(await source.hashes(after: [shares[9].hash], stop: shares[14].hash, limit: 2000) == shares[10...14].map(\.hash))
        #expect(await source.hashes(after: [shares[9].hash], stop: .none, limit: 3) == shares[10...12].map(\.hash))
        let locator = await source.locator()
        #expect(locator.first == shares.last?.hash && locator.last == shares.first?.hash)

        // Out of order: everything after the first share waits, then is released at once.
        let sink = try LocalShareChain(parameters: params, store: MemoryShareStore())
        for s in shares.dropFirst().reversed() {
            if case .orphan = await sink.submit(s, from: PeerID(rawValue: 1)) {} else { Issue.record("expected orphan") }
        }
        #expect(await sink.unknown(shares.map(\.hash)) == [shares[0].hash])
        guard case .accepted(let tip, let adopted) = await sink.submit(shares[0], from: PeerID(rawValue: 1)) else {
            Issue.record("first share refused"); return
        }
        #expect(adopted.count == 50 && tip == shares.last?.hash)
        #expect(await sink.submit(shares[3], from: .local) == .duplicate)
        var snap = await sink.snapshot()
        let bad = ShareFactory().next(on: &snap, script: payout(1), corruptSignature: true)
        #expect(await sink.submit(bad, from: .local) == .rejected(.badSignature))
        #expect(await sink.shares([shares[7].hash, shares[8].hash]) == [shares[7], shares[8]])
    }
}

@Suite("PeerNetwork: LocalShareChain orphan hardening")
struct LocalShareChainOrphanTests {
    func shares(_ n: Int) async throws -> [WireShare] {
        let source = try LocalShareChain(parameters: testParameters(network: .devnet), store: MemoryShareStore())
        var out: [WireShare] = []
        for _ in 0..<n {
            var snap = await source.snapshot()
            let s = ShareFactory().next(on: &snap, script: payout(1))
            _ = await source.submit(s, from: .local)
            out.append(s)
        }
        return out
    }

    @Test("an orphan with a forged signature is refused with its penalty, not held")
    func forgedOrphanRefused() async throws {
        let chain = try await shares(1)
        let sink = try LocalShareChain(parameters: testParameters(network: .devnet), store: MemoryShareStore())
        var snap = Sharechain(parameters: testParameters(network: .devnet))
        try accept(chain[0], into: &snap)
        let forged = ShareFactory().mint(on: &snap, parent: chain[0].hash, timestamp: 1_700_000_100,
                                        script: payout(2), corruptSignature: true)
        #expect(await sink.submit(forged, from: PeerID(rawValue: 4)) == .rejected(.badSignature))
        #expect(await sink.orphanCount == 0)
    }

    @Test("a bogus copy of a share sent first does not block the real one; its sender is charged on release")
    func bogusCopyDoesNotBlock() async throws {
        let chain = try await shares(3)
        var bogus = chain[2]
        bogus.merkleBranch = [Hash256(bytes: [UInt8](repeating: 9, count: 32))!]
        let sink = try LocalShareChain(parameters: testParameters(network: .devnet), store: MemoryShareStore())
        let attacker = PeerID(rawValue: 5), honest = PeerID(rawValue: 6)
        #expect(await sink.submit(bogus, from: attacker) == .orphan(missingParent: chain[1].hash))
        // Before the fix this was `.duplicate` and the real share was lost.
        #expect(await sink.submit(chain[2], from: honest) == .orphan(missingParent: chain[1].hash))
        #expect(await sink.orphanCount == 2)
        #expect(await sink.submit(chain[1], from: honest) == .orphan(missingParent: chain[0].hash))
        #expect(await sink.orphanCount == 3)
        guard case .accepted(let tip, let adopted) = await sink.submit(chain[0], from: honest) else {
            Issue.record("first share refused"); return
        }
        #expect(tip == chain[2].hash && adopted == chain.map(\.hash))
        #expect(await sink.shares([chain[2].hash]) == [chain[2]])
        let failures = await sink.takeOrphanFailures()
        #expect(failures.map(\.peer) == [attacker])
        #expect(failures.map(\.share) == [chain[2].hash])
        #expect(failures.map(\.error) == [.merkleRootMismatch])
        #expect(await sink.takeOrphanFailures().isEmpty)
    }
}

@Suite("SharechainService: a received run checked with signatures ahead")
struct LocalShareChainBatchTests {
    /// A run of shares as a peer sends them (`shares` message) gives the same outcome per
    /// share whether its signatures are checked ahead on helper threads or one by one, and a
    /// bad signature in the middle is refused as such (the shares after it wait as orphans).
    @Test(arguments: [1, 2, 4])
    func sameOutcomesAsOneByOne(helpers: Int) async throws {
        let source = try LocalShareChain(parameters: testParameters(network: .devnet), store: MemoryShareStore())
        var run: [WireShare] = []
        for i in 0..<40 {
            var snap = await source.snapshot()
            let s = ShareFactory().next(on: &snap, script: payout(UInt8(1 + i % 5)))
            _ = await source.submit(s, from: .local)
            run.append(s)
        }
        run[23].signature = testKey.sign([0])
        let peer = PeerID(rawValue: 9)
        let oneByOne = try LocalShareChain(parameters: testParameters(network: .devnet), store: MemoryShareStore(),
                                           signatureHelperThreads: 0)
        let ahead = try LocalShareChain(parameters: testParameters(network: .devnet), store: MemoryShareStore(),
                                        signatureHelperThreads: helpers)
        let expected = await oneByOne.submit(run, from: peer)
        #expect(expected[23] == .rejected(.badSignature))
        #expect(expected[..<23].allSatisfy { if case .accepted = $0 { true } else { false } })
        #expect(expected[24...].allSatisfy { if case .orphan = $0 { true } else { false } })
        #expect(await ahead.submit(run, from: peer) == expected)
        #expect(await ahead.snapshot().bestTip == run[22].hash)
        // Prepared on arrival (as the peer network does), then submitted: the same outcomes.
        let prepared = try LocalShareChain(parameters: testParameters(network: .devnet), store: MemoryShareStore(),
                                           signatureHelperThreads: helpers)
        prepared.prepareSignatures(Array(run[..<20]))
        prepared.prepareSignatures(Array(run[20...]))
        let firstHalf = await prepared.submit(Array(run[..<20]), from: peer)
        let secondHalf = await prepared.submit(Array(run[20...]), from: peer)
        #expect(firstHalf + secondHalf == expected)
    }
}
