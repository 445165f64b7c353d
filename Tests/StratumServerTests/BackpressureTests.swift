import NIOCore
import NIOEmbedded
import StratumProtocol
import Testing
@testable import StratumServer

/// Issue "Consensus and network hardening", item 5: a miner that sends but never reads
/// cannot make the node queue answers without bound (Docs/SECURITY.md, "Stratum").
@Suite("Stratum backpressure (EmbeddedChannel)")
struct BackpressureTests {
    func autoRead(_ channel: EmbeddedChannel) -> Bool? {
        channel.options.last { $0.option is ChannelOptions.Types.AutoReadOption }?.value as? Bool
    }

    @Test("reading stops while the outbound buffer is full, resumes when it drains, and a miner that never reads is closed")
    func stopsReadingAndCloses() throws {
        let server = Fixture.server()
        let channel = EmbeddedChannel()
        try server.initialize(channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 3333)).wait()
        let handler = try channel.pipeline.syncOperations.handler(type: StratumConnectionHandler.self)

        // The peer stops reading: the socket's buffer passes the high water mark.
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(autoRead(channel) == false)
        // It drains: reading resumes.
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(autoRead(channel) == true)

        // Stuck for good: closed once `notReadingTimeout` has passed, not before.
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(!handler.closeIfNotReading(now: .now()))
        #expect(channel.isActive)
        let later = NIODeadline.now() + server.configuration.notReadingTimeout + .seconds(1)
        #expect(handler.closeIfNotReading(now: later))
        #expect(!channel.isActive)
    }

    @Test("the server sets the water marks on accepted connections")
    func waterMarksConfigured() {
        let config = StratumServerConfiguration(host: "127.0.0.1", port: 0, network: .devnet)
        #expect(config.writeBufferWaterMark.high <= 256 * 1024)
        #expect(config.writeBufferWaterMark.low < config.writeBufferWaterMark.high)
    }
}
