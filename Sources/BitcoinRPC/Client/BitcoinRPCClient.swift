import JSON
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// A bitcoind JSON-RPC client over HTTP/1.1 (SwiftNIO).
///
/// Calls share one keep-alive connection and run one at a time, in arrival order.
/// A connection that bitcoind closed (restart, idle timeout) is replaced on the next
/// call; a call that finds its reused connection dead before any answer is retried
/// once on a new one. With cookie auth a 401 re-reads the cookie and retries once.
/// Every call is bounded by `configuration.callTimeout`, every answer by
/// `configuration.maxResponseSize`. Calls throw `RPCError` (or `CancellationError`).
public actor BitcoinRPCClient {
    /// The server and credentials in use.
    public nonisolated let configuration: BitcoinRPCConfiguration
    private let group: any EventLoopGroup
    private let logger: Logger
    private var channel: (any Channel)?
    private var authorization: String?
    private var nextID: Int64 = 1
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a client; no connection is made until the first call.
    public init(configuration: BitcoinRPCConfiguration,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "tidepool.bitcoind-rpc")) {
        self.configuration = configuration
        self.group = eventLoopGroup
        self.logger = logger
    }

    /// Calls `method` with positional `params` and returns its `result`.
    public func call(_ method: String, _ params: [JSONValue] = []) async throws -> JSONValue {
        await acquire()
        defer { release() }
        let id = nextID
        nextID += 1
        let body = JSONValue.sortedObject([
            "jsonrpc": "1.0", "id": .int(id), "method": .string(method), "params": .array(params),
        ]).rpcSerialized
        var retriedStale = false
        var retriedAuth = false
        while true {
            try Task.checkCancellation()
            let (channel, reused) = try await connection()
            if authorization == nil { authorization = try configuration.credentials.authorizationHeader() }
            let response: NIOHTTPClientResponseFull
            do {
                response = try await exchange(on: channel, body: body, method: method)
            } catch RPCError.connectionClosed where reused && !retriedStale {
                logger.debug("bitcoind closed the kept-alive connection; reconnecting")
                retriedStale = true
                drop(channel)
                continue
            } catch {
                drop(channel)
                throw error
            }
            if !response.head.isKeepAlive { drop(channel) }
            if response.head.status == .unauthorized {
                if configuration.credentials.isCookie && !retriedAuth {
                    logger.info("bitcoind answered 401; re-reading the cookie file")
                    retriedAuth = true
                    authorization = nil
                    continue
                }
                throw RPCError.unauthorized
            }
            return try Self.result(of: response, method: method)
        }
    }

    /// Closes the connection; the next call opens a new one.
    public func close() async {
        if let c = channel {
            channel = nil
            try? await c.close()
        }
    }

    // MARK: - Serializing calls

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }

    // MARK: - Connection

    private func connection() async throws -> (any Channel, reused: Bool) {
        if let c = channel, c.isActive { return (c, true) }
        channel = nil
        let maxSize = configuration.maxResponseSize
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(NIOHTTPClientResponseAggregator(maxContentLength: maxSize))
                    try sync.addHandler(RPCClientHandler(maxResponseSize: maxSize))
                }
            }
        do {
            let c = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
            channel = c
            logger.debug("connected to bitcoind at \(configuration.host):\(configuration.port)")
            return (c, false)
        } catch {
            throw RPCError.unreachable(host: configuration.host, port: configuration.port, reason: "\(error)")
        }
    }

    private func drop(_ c: any Channel) {
        if channel === c { channel = nil }
        c.close(promise: nil)
    }

    private func exchange(on channel: any Channel, body: [UInt8], method: String) async throws
        -> NIOHTTPClientResponseFull
    {
        let promise = channel.eventLoop.makePromise(of: NIOHTTPClientResponseFull.self)
        let timeout = channel.eventLoop.scheduleTask(in: TimeAmount(configuration.callTimeout)) {
            promise.fail(RPCError.timeout(method: method))
        }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: configuration.path)
        head.headers.add(name: "Host", value: "\(configuration.host):\(configuration.port)")
        head.headers.add(name: "Authorization", value: authorization ?? "")
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "Content-Length", value: String(body.count))
        let exchange = RPCExchange(head: head, body: channel.allocator.buffer(bytes: body), promise: promise)
        channel.writeAndFlush(exchange).whenFailure { _ in promise.fail(RPCError.connectionClosed) }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            promise.fail(CancellationError())
        }
    }

    // MARK: - Answers

    /// The `result` of a JSON-RPC answer, or the typed error it carries.
    static func result(of response: NIOHTTPClientResponseFull, method: String) throws -> JSONValue {
        let status = Int(response.head.status.code)
        let bytes = response.body.map { Array($0.readableBytesView) } ?? []
        if let json = try? JSONParser.parse(bytes), json.objectValue != nil {
            if let error = json["error"], !error.isNull {
                guard let code = error["code"]?.integerValue else {
                    throw RPCError.malformedResponse("\(method): error without a code: \(error)")
                }
                throw RPCError.server(code: Int(code), message: error["message"]?.stringValue ?? "")
            }
            if status == 200 {
                guard let result = json["result"] else {
                    throw RPCError.malformedResponse("\(method): answer has neither result nor error")
                }
                return result
            }
        }
        if status != 200 {
            throw RPCError.httpStatus(code: status, body: String(decoding: bytes.prefix(200), as: UTF8.self))
        }
        throw RPCError.malformedResponse("\(method): answer is not a JSON-RPC object")
    }
}
