import BitcoinPrimitives
import Ed25519
import NIOCore
import NIOEmbedded
import PeerNetwork
import PeerProtocol
import Sharechain
import Testing

/// Issue "Consensus and network hardening", item 5: reading stops while the manager is
/// behind or the peer does not read our answers (Docs/SECURITY.md, "Peer-to-peer").
@Suite("PeerNetwork: backpressure (EmbeddedChannel)")
struct PeerBackpressureTests {
    let keyA = SigningKey(rawRepresentation: [UInt8](repeating: 1, count: 32))!
    let keyB = SigningKey(rawRepresentation: [UInt8](repeating: 2, count: 32))!

    func autoRead(_ channel: EmbeddedChannel) -> Bool? {
        channel.options.last { $0.option is ChannelOptions.Types.AutoReadOption }?.value as? Bool
    }

    @Test("a peer faster than the manager is paused at the backlog limit and resumed when it drains")
    func pausedByBacklog() throws {
        let (ca, _, cb, lb) = try connectedPair(a: machine(.outbound, key: keyA), b: machine(.inbound, key: keyB))
        for i in 0..<(PeerBacklog.pauseAt - 1) {
            try ca.writeOutbound(PeerMessage.inv(InvMessage(hashes: [ShareHash(rawHash: SHA256d.hash([UInt8(i)]))])))
        }
        _ = try pump(ca, cb)
        #expect(autoRead(cb) != false, "still reading below the limit")
        try ca.writeOutbound(PeerMessage.inv(InvMessage(hashes: [ShareHash(rawHash: SHA256d.hash([200]))])))
        _ = try pump(ca, cb)
        #expect(lb.delivered.count == PeerBacklog.pauseAt)
        #expect(autoRead(cb) == false, "reading stops: nobody handled the messages")
        // The manager worked the backlog down and says so.
        cb.pipeline.triggerUserOutboundEvent(PeerCommand.resumeReading, promise: nil)
        #expect(autoRead(cb) == true)
        _ = try? ca.finish()
        _ = try? cb.finish()
    }

    @Test("a peer that does not read our answers is not read from, and closed after the timeout")
    func notReading() throws {
        let (ca, _, cb, lb) = try connectedPair(a: machine(.outbound, key: keyA), b: machine(.inbound, key: keyB))
        cb.isWritable = false
        cb.pipeline.fireChannelWritabilityChanged()
        #expect(autoRead(cb) == false)
        cb.isWritable = true
        cb.pipeline.fireChannelWritabilityChanged()
        #expect(autoRead(cb) == true)
        cb.isWritable = false
        cb.pipeline.fireChannelWritabilityChanged()
        cb.embeddedEventLoop.advanceTime(by: PeerChannelHandler.notReadingTimeout + .seconds(5))
        #expect(!cb.isActive)
        if case .timeout? = lb.closed?.0 {} else { Issue.record("closed for \(String(describing: lb.closed))") }
        #expect(lb.closed?.1 == false, "no ban")
        _ = try? ca.finish()
    }
}
