import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The devnet's bitcoind stand-in: an HTTP/1.1 JSON-RPC server hosting a
/// `SharedDevnetChain` with the methods Tidepool and audits use —
/// `getblocktemplate`, `submitblock`, `getbestblockhash`, `getblockchaininfo`,
/// `getblockcount`, `getblockhash`, `getblock` (verbosity 0 or 1) — in bitcoind's
/// shapes: JSON-RPC 1.0 answers with HTTP 500/404 on errors (2.0 requests get
/// 2.0 answers with HTTP 200), batches, Basic auth (HTTP 401 otherwise), and only
/// POST. `getblockchaininfo` reports chain `regtest` (devnet addresses are regtest
/// addresses) plus `"devnet": true`.
public final class DevnetRPCServer: Sendable {
    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// The chain served; it outlives the server.
    public let chain: SharedDevnetChain
    /// The address bound.
    public let host: String
    /// The port bound (the one the OS chose when asked for port 0).
    public let port: Int
    private let listener: NIOAsyncChannel<Connection, Never>
    private let methods: DevnetRPCMethods
    private let expectedAuthorization: String
    private let logger: Logger

    /// Largest request body accepted (a 4 MB block is 8 MB of hex).
    public static let maxRequestSize = 16 << 20

    private init(chain: SharedDevnetChain, host: String, port: Int, listener: NIOAsyncChannel<Connection, Never>,
                 methods: DevnetRPCMethods, expectedAuthorization: String, logger: Logger) {
        self.chain = chain
        self.host = host
        self.port = port
        self.listener = listener
        self.methods = methods
        self.expectedAuthorization = expectedAuthorization
        self.logger = logger
    }

    /// Binds `host:port` (port 0: any free port, see `port`) and returns the server;
    /// it accepts connections once `run()` is called.
    public static func bind(host: String = "127.0.0.1", port: Int = 0, chain: SharedDevnetChain,
                            user: String, password: String,
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                            logger: Logger = Logger(label: "tidepool.devnet-rpc"),
                            now: @escaping @Sendable () -> UInt32 = DevnetRPCServer.wallClock) async throws
        -> DevnetRPCServer
    {
        let listener = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        let bound = listener.channel.localAddress?.port ?? port
        logger.info("devnet JSON-RPC server listening on \(host):\(bound)")
        return DevnetRPCServer(
            chain: chain, host: host, port: bound, listener: listener,
            methods: DevnetRPCMethods(chain: chain, now: now),
            expectedAuthorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString(),
            logger: logger)
    }

    /// Serves connections until the task is cancelled, then closes the listener and
    /// every connection.
    public func run() async throws {
        try await listener.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in inbound {
                    group.addTask { await self.serve(connection) }
                }
            }
        }
    }

    /// Makes every call fail with `code` and `message` until `setUnavailable(nil)`,
    /// e.g. -28 to simulate bitcoind warming up or -10 for initial block download.
    public func setUnavailable(_ error: (code: Int, message: String)?) {
        methods.unavailable.withLockedValue { $0 = error.map { RPCFailure(code: $0.code, message: $0.message) } }
    }

    /// How many method calls the server received so far (a batch counts each call).
    public var callCount: Int { methods.calls.withLockedValue { $0 } }

    /// How many calls `setUnavailable` made fail so far.
    public var refusedCalls: Int { methods.refusedCalls.withLockedValue { $0 } }

    /// The current Unix time, the default clock of `curtime`.
    public static func wallClock() -> UInt32 { UInt32(clamping: Int64(Date().timeIntervalSince1970)) }

    // MARK: - One connection

    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                        body.clear()
                        tooLarge = false
                    case .body(var chunk):
                        if body.readableBytes + chunk.readableBytes > Self.maxRequestSize {
                            tooLarge = true
                            body.clear()
                        } else if !tooLarge {
                            body.writeBuffer(&chunk)
                        }
                    case .end:
                        guard let request = head else { continue }
                        let reply = tooLarge ? Reply(status: .payloadTooLarge, body: nil) : answer(request, body)
                        let keepAlive = request.isKeepAlive && !tooLarge
                        try await write(reply, version: request.version, keepAlive: keepAlive, to: outbound)
                        if !keepAlive { return }
                    }
                }
            }
        } catch {
            logger.debug("devnet RPC connection ended: \(error)")
        }
    }

    private struct Reply {
        var status: HTTPResponseStatus
        var body: JSONValue?
        var headers: [(String, String)] = []
    }

    private func answer(_ request: HTTPRequestHead, _ body: ByteBuffer) -> Reply {
        guard request.headers.first(name: "authorization") == expectedAuthorization else {
            return Reply(status: .unauthorized, body: nil, headers: [("WWW-Authenticate", "Basic realm=\"jsonrpc\"")])
        }
        guard request.method == .POST else { return Reply(status: .methodNotAllowed, body: nil) }
        let (status, json) = methods.respond(to: Array(body.readableBytesView))
        return Reply(status: HTTPResponseStatus(statusCode: status), body: json)
    }

    private func write(_ reply: Reply, version: HTTPVersion, keepAlive: Bool,
                       to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        var bytes = reply.body?.serialized ?? []
        if reply.body != nil { bytes.append(UInt8(ascii: "\n")) }
        var headers = HTTPHeaders(reply.headers)
        if reply.body != nil { headers.add(name: "Content-Type", value: "application/json") }
        headers.add(name: "Content-Length", value: String(bytes.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        try await outbound.write(.head(HTTPResponseHead(version: version, status: reply.status, headers: headers)))
        if !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
        try await outbound.write(.end(nil))
    }
}
