import BitcoinPrimitives
import JSON

/// A response to one request.
public struct StratumResponse: Sendable, Hashable {
    /// The id of the request answered.
    public var id: JSONValue
    /// The result (`null` on error).
    public var result: JSONValue
    /// The error, if the request failed.
    public var error: StratumError?

    /// Creates a response.
    public init(id: JSONValue, result: JSONValue, error: StratumError? = nil) {
        self.id = id
        self.result = result
        self.error = error
    }

    /// A successful response.
    public static func success(id: JSONValue, _ result: JSONValue) -> StratumResponse {
        StratumResponse(id: id, result: result)
    }

    /// A failed response: `result` is `null`.
    public static func failure(id: JSONValue, _ error: StratumError) -> StratumResponse {
        StratumResponse(id: id, result: .null, error: error)
    }

    /// `{"id":…,"result":…,"error":…}`.
    public var json: JSONValue {
        .object([JSONMember("id", id), JSONMember("result", result), JSONMember("error", error?.json ?? .null)])
    }
}

/// A server-to-miner notification (`id` is `null`).
public struct StratumNotification: Sendable, Hashable {
    /// The method, e.g. `mining.notify`.
    public var method: String
    /// Positional parameters.
    public var params: [JSONValue]

    /// Creates a notification.
    public init(method: String, params: [JSONValue]) {
        self.method = method
        self.params = params
    }

    /// `{"id":null,"method":…,"params":[…]}`.
    public var json: JSONValue {
        .object([JSONMember("id", .null), JSONMember("method", .string(method)), JSONMember("params", .array(params))])
    }

    /// `mining.set_difficulty`.
    public static func setDifficulty(_ difficulty: StratumDifficulty) -> StratumNotification {
        MiningSetDifficulty(difficulty).notification
    }

    /// `mining.notify` for a job under the id the miner sees.
    public static func notify(_ job: MiningJob, jobID: String, clean: Bool) -> StratumNotification {
        job.notify(jobID: jobID, clean: clean).notification
    }
}

/// Anything the server writes to a miner: one JSON object per line.
public enum StratumOutbound: Sendable, Hashable {
    /// A response.
    case response(StratumResponse)
    /// A notification.
    case notification(StratumNotification)

    /// The JSON object.
    public var json: JSONValue {
        switch self {
        case .response(let r): return r.json
        case .notification(let n): return n.json
        }
    }

    /// The UTF-8 line, newline included.
    public func encodedLine() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        json.encode(into: &out)
        out.append(0x0a)
        return out
    }
}
