import PeerNetwork
import Sharechain
import Testing

@Suite("PeerNetwork: LocalShareChain")
struct LocalShareChainTests {
    @Test("locator answers, orphans released recursively, duplicates and invalid shares")
    func chainAccess() async throws {
        let params = peerTestParameters()
        let source = try LocalShareChain(parameters: params, store: InMemoryShareStore())
        var shares: [WireShare] = []
        for i in 0..<50 {
            var snap = await source.snapshot()
            let s = ShareMinter().next(on: &snap, script: payoutScript(UInt8(1 + i % 3)))
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
        let sink = try LocalShareChain(parameters: params, store: InMemoryShareStore())
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
        let bad = ShareMinter().next(on: &snap, script: payoutScript(1), corruptSignature: true)
        #expect(await sink.submit(bad, from: .local) == .rejected(.badSignature))
        #expect(await sink.shares([shares[7].hash, shares[8].hash]) == [shares[7], shares[8]])
    }
}
