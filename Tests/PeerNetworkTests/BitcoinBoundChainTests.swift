import BitcoinPrimitives
import PeerNetwork
import PeerProtocol
import Sharechain
import NIOConcurrencyHelpers
import SharechainService
import Testing
import TidepoolTestSupport

/// A bitcoind stand-in: which Bitcoin blocks it knows and the rule for their children.
final class FakeBitcoinParents: BitcoinParentResolver {
    let known = NIOLockedValueBox<[BlockHash: BitcoinParentRule]>([:])
    let lookups = NIOLockedValueBox(0)
    func check(_ block: BlockHash) async -> BitcoinParentCheck {
        lookups.withLockedValue { $0 += 1 }
        return known.withLockedValue { $0[block] }.map { .known($0) } ?? .unknown(block)
    }
}

@Suite("PeerNetwork: shares bound to bitcoind's chain")
struct BitcoinBoundChainTests {
    @Test("a share on a Bitcoin block bitcoind does not know is held, then accepted once bitcoind knows it")
    func heldThenAccepted() async throws {
        let params = peerTestParameters()
        let source = try LocalShareChain(parameters: params, store: InMemoryShareStore())
        var snap = await source.snapshot()
        let share = ShareMinter().next(on: &snap, script: payoutScript(1))
        let bitcoind = FakeBitcoinParents()
        let chain = try LocalShareChain(parameters: params, store: InMemoryShareStore(), bitcoinParents: bitcoind)
        let prev = share.bitcoinHeader.prevBlock
        #expect(await chain.submit(share, from: PeerID(rawValue: 1)) == .rejected(.unknownBitcoinBlock(prev)))
        let heldBefore = await chain.heldCount, tipBefore = await chain.bestTip()
        #expect(heldBefore == 1 && tipBefore == nil)
        // bitcoind learns the block: the held share is accepted on retry.
        bitcoind.known.withLockedValue { $0[prev] = BitcoinParentRule(requiredBits: share.bitcoinHeader.bits) }
        await chain.retryHeld()
        let tipAfter = await chain.bestTip(), heldAfter = await chain.heldCount
        #expect(tipAfter?.hash == share.hash && heldAfter == 0)
        // A second share on the same Bitcoin block needs no new lookup.
        let lookups = bitcoind.lookups.withLockedValue { $0 }
        var snap2 = await chain.snapshot()
        let next = ShareMinter().next(on: &snap2, script: payoutScript(2))
        if next.bitcoinHeader.prevBlock == prev {
            guard case .accepted = await chain.submit(next, from: .local) else { Issue.record("refused"); return }
            #expect(bitcoind.lookups.withLockedValue { $0 } == lookups)
        }
    }

    @Test("a share whose Bitcoin bits bitcoind's rule does not allow is rejected with a penalty")
    func cheapBitsRejected() async throws {
        let params = peerTestParameters()
        let source = try LocalShareChain(parameters: params, store: InMemoryShareStore())
        var snap = await source.snapshot()
        let share = ShareMinter().next(on: &snap, script: payoutScript(1))
        let bitcoind = FakeBitcoinParents()
        bitcoind.known.withLockedValue { $0[share.bitcoinHeader.prevBlock] = BitcoinParentRule(requiredBits: CompactTarget(rawValue: 0x1703_4219)) }
        let chain = try LocalShareChain(parameters: params, store: InMemoryShareStore(), bitcoinParents: bitcoind)
        let outcome = await chain.submit(share, from: PeerID(rawValue: 1))
        guard case .rejected(let error) = outcome, case .wrongBitcoinBits = error else {
            Issue.record("got \(outcome)"); return
        }
        #expect(error.penalty == .misbehaving(100))
        #expect(await chain.bestTip() == nil)
    }

    @Test("a relayed block whose bits Bitcoin's rules do not allow is neither submitted nor relayed")
    func cheapBlockNotRelayed() async throws {
        let received = BlockInbox()
        let bitcoind = FakeBitcoinParents()
        // bitcoind knows the all-zero parent and says a child must carry 0x1d00ffff.
        bitcoind.known.withLockedValue { $0[BlockHash(rawHash: .zero)] = BitcoinParentRule(requiredBits: CompactTarget(rawValue: 0x1d00_ffff)) }
        let origin = try await TestNode.start()
        let bound = try await TestNode.start(blocks: { await received.add($0) }, bitcoinParents: bitcoind)
        let behind = try await TestNode.start(blocks: { await received.add($0) })
        await bound.connect(to: origin)
        await behind.connect(to: bound)
        try await eventually("links") { await bound.manager.peerCount == 2 }
        var block = [UInt8](repeating: 0, count: 80)
        block[72] = 0xff; block[73] = 0xff; block[74] = 0x7f; block[75] = 0x20  // bits 0x207fffff: about one hash
        block += [0]
        while BlockMessage(bytes: block).blockHash.rawHash.bytes.last! >= 0x7f { block[76] &+= 1 }
        await origin.manager.relayBlock(block)
        try await Task.sleep(for: .milliseconds(500))
        #expect(await received.count == 0, "the cheap block reached no bitcoind")
        for n in [origin, bound, behind] { await n.stop() }
    }
}
