/// One JSON-RPC request from a miner: `{"id": …, "method": "…", "params": […]}`.

import JSON
public struct StratumRequest: Sendable, Hashable {
    /// The request id (a JSON scalar or `null`), echoed in the response.
    public var id: JSONValue
    /// The method name, e.g. `mining.submit`.
    public var method: String
    /// Positional parameters (a missing or `null` `params` reads as empty).
    public var params: [JSONValue]

    /// Creates a request.
    public init(id: JSONValue, method: String, params: [JSONValue] = []) {
        self.id = id
        self.method = method
        self.params = params
    }
}

/// What one line from a miner turned out to be.
public enum StratumInbound: Sendable, Hashable {
    /// A request (or a notification with a `null` id): it gets an answer.
    case request(StratumRequest)
    /// A response to something the server sent (no `method`, has `result` or `error`):
    /// nothing to answer.
    case response(id: JSONValue)

    /// Parses one line (without its newline).
    ///
    /// - Throws: `StratumRequestError` with the id when it could be recovered, so the
    ///   error response can still be matched by the miner.
    public static func parse(line: some Collection<UInt8>) throws(StratumRequestError) -> StratumInbound {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw StratumRequestError(id: .null, reason: .malformedJSON(error))
        }
        guard case .object = value else { throw StratumRequestError(id: .null, reason: .notAnObject) }
        let id = value["id"] ?? .null
        guard id.isScalar else { throw StratumRequestError(id: .null, reason: .invalidID) }
        guard let methodValue = value["method"] else {
            if value["result"] != nil || value["error"] != nil { return .response(id: id) }
            throw StratumRequestError(id: id, reason: .missingMethod)
        }
        guard let method = methodValue.stringValue else { throw StratumRequestError(id: id, reason: .methodNotString) }
        let params: [JSONValue]
        switch value["params"] {
        case nil, .null?: params = []
        case .array(let items)?: params = items
        default: throw StratumRequestError(id: id, reason: .paramsNotArray)
        }
        return .request(StratumRequest(id: id, method: method, params: params))
    }
}

/// A line that is not a usable JSON-RPC request.
public struct StratumRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the line.
    public enum Reason: Sendable, Hashable {
        /// Not JSON at all.
        case malformedJSON(JSONParseError)
        /// JSON, but not an object.
        case notAnObject
        /// `id` is an array or an object.
        case invalidID
        /// No `method` (and not a response either).
        case missingMethod
        /// `method` is not a string.
        case methodNotString
        /// `params` is neither an array nor `null`.
        case paramsNotArray
    }

    /// The request's id when it could be read, else `null`.
    public var id: JSONValue
    /// What is wrong.
    public var reason: Reason

    /// Creates an error.
    public init(id: JSONValue, reason: Reason) {
        self.id = id
        self.reason = reason
    }

    /// One line for the error response and the log.
    public var description: String {
        switch reason {
        case .malformedJSON(let e): return "Malformed JSON: \(e)"
        case .notAnObject: return "Request is not a JSON object"
        case .invalidID: return "Request id must be a string, number, boolean or null"
        case .missingMethod: return "Request has no method"
        case .methodNotString: return "Request method is not a string"
        case .paramsNotArray: return "Request params must be an array"
        }
    }
}
