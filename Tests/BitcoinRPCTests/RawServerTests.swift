import NIOCore
import NIOPosix
import Testing
@testable import BitcoinRPC

/// Answers the first bytes it receives with a fixed reply (then optionally closes),
/// or never answers: a misbehaving "bitcoind".
private final class RawReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let reply: [UInt8]?
    let close: Bool
    private var answered = false

    init(reply: [UInt8]?, close: Bool) {
        self.reply = reply
        self.close = close
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered, let reply else { return }
        answered = true
        let done = context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)))
        if close {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

/// A raw TCP server on 127.0.0.1 that answers with `reply`.
private func rawServer(_ reply: [UInt8]?, close: Bool = false) async throws -> any Channel {
    try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(RawReplyHandler(reply: reply, close: close))
            }
        }
        .bind(host: "127.0.0.1", port: 0).get()
}

@Suite(.timeLimit(.minutes(1))) struct RawServerTests {
    private func callError(_ reply: [UInt8]?, close: Bool = false, maxResponseSize: Int = 1 << 20,
                           timeout: Duration = .seconds(5)) async throws -> RPCError? {
        let server = try await rawServer(reply, close: close)
        let client = makeClient(port: server.localAddress!.port!, timeout: timeout, maxResponseSize: maxResponseSize)
        defer { server.close(promise: nil) }
        do {
            _ = try await client.getBestBlockHash()
            return nil
        } catch let error as RPCError {
            await client.close()
            return error
        }
    }

    @Test func garbageIsMalformed() async throws {
        let error = try await callError(Array("SSH-2.0-OpenSSH_9.6\r\n\r\n".utf8))
        guard case .malformedResponse? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func nonJSONBodyIsMalformed() async throws {
        let error = try await callError(Array("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nnot json!".utf8))
        guard case .malformedResponse? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func wrongResultTypeIsMalformed() async throws {
        let body = #"{"result":42,"error":null,"id":1}"#
        let error = try await callError(Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
        #expect(error == .malformedResponse("getbestblockhash: result is not a 64-digit hash"))
    }

    @Test func declaredOversizeIsRejected() async throws {
        let error = try await callError(Array("HTTP/1.1 200 OK\r\nContent-Length: 40000000\r\n\r\n{".utf8))
        #expect(error == .responseTooLarge(limit: 1 << 20))
    }

    @Test func streamedOversizeIsRejected() async throws {
        var reply = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        let chunk = [UInt8](repeating: 0x20, count: 0x10000)
        for _ in 0..<20 { reply += Array("10000\r\n".utf8) + chunk + Array("\r\n".utf8) }
        let error = try await callError(reply, maxResponseSize: 1 << 18)
        #expect(error == .responseTooLarge(limit: 1 << 18))
    }

    @Test func httpErrorWithoutJSON() async throws {
        let error = try await callError(Array("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 26\r\n\r\nWork queue depth exceeded\n".utf8))
        #expect(error == .httpStatus(code: 503, body: "Work queue depth exceeded\n"))
    }

    @Test func closedWithoutAnswer() async throws {
        let error = try await callError([], close: true)
        #expect(error == .connectionClosed)
    }

    @Test func silentServerTimesOut() async throws {
        let start = ContinuousClock.now
        let error = try await callError(nil, timeout: .milliseconds(300))
        #expect(error == .timeout(method: "getbestblockhash"))
        // The 300 ms timeout fired rather than waiting for the silent server; the bound
        // is loose because CI machines can be heavily loaded.
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func nothingListeningIsUnreachable() async throws {
        let server = try await rawServer(nil)
        let port = server.localAddress!.port!
        try await server.close()
        let client = makeClient(port: port)
        do {
            _ = try await client.getBestBlockHash()
            Issue.record("expected an error")
        } catch let error as RPCError {
            guard case .unreachable = error else { Issue.record("got \(error)"); return }
        }
    }
}
