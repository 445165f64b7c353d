/// Everything that can go wrong talking to bitcoind, typed so callers can react
/// (wait out warm-up, fix credentials, reconnect) instead of parsing messages.
public enum RPCError: Error, Sendable, Equatable {
    /// The TCP connection could not be made (refused, unreachable, name not resolved).
    case unreachable(host: String, port: Int, reason: String)
    /// bitcoind answered HTTP 401: the cookie, user or password is wrong.
    case unauthorized
    /// The cookie file could not be read.
    case cookieUnreadable(path: String, reason: String)
    /// An HTTP status other than 200 without a JSON-RPC error body.
    case httpStatus(code: Int, body: String)
    /// bitcoind answered with a JSON-RPC error object.
    case server(code: Int, message: String)
    /// The answer is not HTTP, not JSON, or lacks fields the call needs.
    case malformedResponse(String)
    /// The answer is larger than the configured cap.
    case responseTooLarge(limit: Int)
    /// No answer within the per-call timeout.
    case timeout(method: String)
    /// The connection closed before the answer was complete.
    case connectionClosed

    /// The JSON-RPC error code, when bitcoind sent an error object.
    public var serverCode: Int? {
        if case .server(let code, _) = self { return code }
        return nil
    }

    /// Whether bitcoind is still starting (`-28`, RPC_IN_WARMUP).
    public var isWarmingUp: Bool { serverCode == RPCErrorCode.inWarmup }

    /// Whether bitcoind is in initial block download (`-10`, RPC_CLIENT_IN_INITIAL_DOWNLOAD).
    public var isInInitialDownload: Bool { serverCode == RPCErrorCode.clientInInitialDownload }

    /// Whether the error is transient on bitcoind's side (warm-up, IBD, not connected
    /// to peers) and the same call will succeed later.
    public var isTransient: Bool {
        guard let code = serverCode else { return false }
        return [RPCErrorCode.inWarmup, RPCErrorCode.clientInInitialDownload,
                RPCErrorCode.clientNotConnected].contains(code)
    }
}

/// bitcoind's JSON-RPC error codes (`src/rpc/protocol.h`) that Tidepool acts on.
public enum RPCErrorCode {
    /// Invalid JSON-RPC request object.
    public static let invalidRequest = -32600
    /// Unknown method.
    public static let methodNotFound = -32601
    /// Invalid method parameters.
    public static let invalidParams = -32602
    /// Internal error.
    public static let internalError = -32603
    /// The request is not valid JSON.
    public static let parseError = -32700
    /// Unexpected type passed as parameter.
    public static let typeError = -3
    /// Invalid address or key (also "Block not found").
    public static let invalidAddressOrKey = -5
    /// Invalid, missing or duplicate parameter.
    public static let invalidParameter = -8
    /// Not connected to any peer.
    public static let clientNotConnected = -9
    /// Still downloading initial blocks.
    public static let clientInInitialDownload = -10
    /// Error parsing or validating a structure in raw format ("Block decode failed").
    public static let deserializationError = -22
    /// Server is still starting.
    public static let inWarmup = -28
}

extension RPCError: CustomStringConvertible {
    /// A one-line explanation for logs and operators.
    public var description: String {
        switch self {
        case .unreachable(let host, let port, let reason):
            return "bitcoind at \(host):\(port) is unreachable: \(reason)"
        case .unauthorized:
            return "bitcoind rejected the credentials (HTTP 401): check cookie / user / password"
        case .cookieUnreadable(let path, let reason):
            return "cannot read the bitcoind cookie file \(path): \(reason)"
        case .httpStatus(let code, let body):
            return "bitcoind answered HTTP \(code)" + (body.isEmpty ? "" : ": \(body)")
        case .server(let code, let message):
            return "bitcoind error \(code): \(message)"
        case .malformedResponse(let why):
            return "malformed answer from bitcoind: \(why)"
        case .responseTooLarge(let limit):
            return "answer from bitcoind exceeds \(limit) bytes"
        case .timeout(let method):
            return "bitcoind did not answer \(method) in time"
        case .connectionClosed:
            return "bitcoind closed the connection before answering"
        }
    }
}
