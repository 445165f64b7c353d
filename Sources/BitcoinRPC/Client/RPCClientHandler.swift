import NIOCore
import NIOHTTP1

/// One HTTP request handed to the pipeline, with the promise for its answer.
struct RPCExchange: Sendable {
    let head: HTTPRequestHead
    let body: ByteBuffer
    let promise: EventLoopPromise<NIOHTTPClientResponseFull>
}

/// Last handler of a client connection: writes each `RPCExchange` as HTTP request
/// parts and completes the exchanges' promises, in order, with the aggregated
/// answers. Any error or the connection closing fails every pending exchange with
/// a typed `RPCError` and closes the connection.
final class RPCClientHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOHTTPClientResponseFull
    typealias OutboundIn = RPCExchange
    typealias OutboundOut = HTTPClientRequestPart

    private var pending = CircularBuffer<EventLoopPromise<NIOHTTPClientResponseFull>>()
    private let maxResponseSize: Int

    init(maxResponseSize: Int) { self.maxResponseSize = maxResponseSize }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        pending.append(exchange.promise)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(exchange.body))), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let response = unwrapInboundIn(data)
        if let promise = pending.popFirst() {
            promise.succeed(response)
        } else {
            // An answer nobody asked for: the stream is out of step; start over.
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(with: map(error))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(with: .connectionClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(with: .connectionClosed)
    }

    private func failAll(with error: RPCError) {
        while let promise = pending.popFirst() { promise.fail(error) }
    }

    private func map(_ error: any Error) -> RPCError {
        if let e = error as? NIOHTTPObjectAggregatorError, e == .frameTooLong {
            return .responseTooLarge(limit: maxResponseSize)
        }
        if error is HTTPParserError || error is NIOHTTPObjectAggregatorError {
            return .malformedResponse("not a valid HTTP answer (\(error))")
        }
        return .connectionClosed
    }
}
