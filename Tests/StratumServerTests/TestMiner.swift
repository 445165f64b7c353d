import JSON
import NIOCore
import NIOPosix
import StratumProtocol
@testable import StratumServer

/// A scripted Stratum client for the loopback tests.
struct TestMiner {
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let continuation: AsyncStream<JSONValue>.Continuation
        init(_ continuation: AsyncStream<JSONValue>.Continuation) { self.continuation = continuation }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if let value = try? JSONParser.parse(unwrapInboundIn(data).readableBytesView) { continuation.yield(value) }
        }
        func channelInactive(context: ChannelHandlerContext) { continuation.finish() }
    }

    let channel: any Channel
    private var iterator: AsyncStream<JSONValue>.AsyncIterator
    /// Notifications seen while waiting for responses, in order.
    var notifications: [JSONValue] = []

    static func connect(port: Int) async throws -> TestMiner {
        let (stream, continuation) = AsyncStream.makeStream(of: JSONValue.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(StratumLineDecoder(maximumLength: 1 << 20)))
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return TestMiner(channel: channel, iterator: stream.makeAsyncIterator())
    }

    func send(_ line: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: line + "\n"))
    }

    func request(_ id: Int, _ method: String, _ params: [JSONValue]) async throws {
        let r = JSONValue.object([JSONMember("id", .integer(id)), JSONMember("method", .string(method)),
                                  JSONMember("params", .array(params))])
        try await send(r.jsonText)
    }

    /// The next line, or nil when the server closed the connection.
    mutating func next() async -> JSONValue? { await iterator.next() }

    /// Waits for the response with `id`, keeping notifications that arrive first.
    mutating func response(_ id: JSONValue) async -> JSONValue? {
        while let line = await next() {
            if line["method"] != nil { notifications.append(line); continue }
            if line["id"] == id { return line }
        }
        return nil
    }

    /// Waits for the next notification with `method`.
    mutating func notification(_ method: String) async -> JSONValue? {
        if let i = notifications.firstIndex(where: { $0["method"] == .string(method) }) {
            return notifications.remove(at: i)
        }
        while let line = await next() {
            if line["method"] == .string(method) { return line }
            if line["method"] != nil { notifications.append(line) }
        }
        return nil
    }
}
