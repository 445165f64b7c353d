import NIOCore
import NIOEmbedded
import NIOSupport
import Testing

/// A handler that only forwards to `ReadPausing` (as the Stratum and peer handlers do).
final class PausingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    var reading = ReadPausing()
    var now = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let counter: ReadCounter

    init(counter: ReadCounter) { self.counter = counter }

    /// Reads asked for by the pausing handler (they pass the counter, nearer the head).
    var reads: Int { counter.reads }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        reading.writabilityChanged(context: context, now: now)
        context.fireChannelWritabilityChanged()
    }
}

/// Counts `read` requests on their way to the head of the pipeline.
final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    var reads = 0

    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }
}

@Suite("Read pausing (EmbeddedChannel)")
struct ReadPausingTests {
    func autoRead(_ channel: EmbeddedChannel) -> Bool? {
        channel.options.last { $0.option is ChannelOptions.Types.AutoReadOption }?.value as? Bool
    }

    @Test func pausesWhileUnwritableOrBehindAndResumesWhenNeither() throws {
        let counter = ReadCounter()
        let handler = PausingHandler(counter: counter)
        let channel = EmbeddedChannel(handlers: [counter, handler])
        let context = try channel.pipeline.syncOperations.context(handlerType: PausingHandler.self)
        #expect(handler.reading.reads)

        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(autoRead(channel) == false)
        #expect(handler.reading.unwritableSince == handler.now)
        let readsWhilePaused = handler.reads

        // The consumer falls behind too; the channel drains: still paused.
        handler.reading.setConsumerBehind(true, context: context)
        channel.isWritable = true
        handler.now = handler.now + .seconds(5)
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(autoRead(channel) == false)
        #expect(handler.reading.unwritableSince == nil)
        #expect(handler.reads == readsWhilePaused)

        // The consumer catches up: reading resumes, with a read.
        handler.reading.setConsumerBehind(false, context: context)
        #expect(autoRead(channel) == true)
        #expect(handler.reads == readsWhilePaused + 1)
        #expect(handler.reading.reads)
        _ = try channel.finish()
    }

    @Test func notReadingIsMeasuredFromTheFirstUnwritableMoment() throws {
        let counter = ReadCounter()
        let handler = PausingHandler(counter: counter)
        let channel = EmbeddedChannel(handlers: [counter, handler])
        let start = handler.now
        #expect(!handler.reading.hasNotRead(for: .seconds(60), now: start + .seconds(3600)))
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        handler.now = start + .seconds(30)
        channel.pipeline.fireChannelWritabilityChanged()  // still unwritable: the start stays
        #expect(handler.reading.unwritableSince == start)
        #expect(!handler.reading.hasNotRead(for: .seconds(60), now: start + .seconds(59)))
        #expect(handler.reading.hasNotRead(for: .seconds(60), now: start + .seconds(60)))
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(!handler.reading.hasNotRead(for: .seconds(60), now: start + .seconds(3600)))
        _ = try channel.finish()
    }
}
