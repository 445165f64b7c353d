import BitcoinPrimitives
import NIOConcurrencyHelpers

/// A JSON-RPC error the devnet answers with (bitcoind's codes and messages).
struct RPCFailure: Error {
    let code: Int
    let message: String
}

/// The JSON-RPC methods of the devnet, with bitcoind's request and answer shapes.
/// Transport-free: `DevnetRPCServer` feeds it request bodies.
final class DevnetRPCMethods: Sendable {
    let chain: SharedDevnetChain
    let now: @Sendable () -> UInt32
    /// When set, every call fails with this error (simulates warm-up or IBD).
    let unavailable = NIOLockedValueBox<RPCFailure?>(nil)
    /// Calls refused because of `unavailable` (tests check that a client saw the error).
    let refusedCalls = NIOLockedValueBox<Int>(0)
    /// Every method call answered or refused (tests count a client's polls).
    let calls = NIOLockedValueBox<Int>(0)

    init(chain: SharedDevnetChain, now: @escaping @Sendable () -> UInt32) {
        self.chain = chain
        self.now = now
    }

    /// Parameter names for callers that send named parameters (an object).
    private static let parameterNames: [String: [String]] = [
        "getblocktemplate": ["template_request"], "submitblock": ["hexdata", "dummy"],
        "getblockhash": ["height"], "getblock": ["blockhash", "verbosity"],
    ]

    /// The HTTP status and JSON body answering a request body (one call or a batch).
    func respond(to body: [UInt8]) -> (status: Int, body: JSONValue) {
        guard let request = JSONValue(parsing: body) else {
            return (500, Self.errorReply(RPCFailure(code: RPCErrorCode.parseError, message: "Parse error"),
                                         id: .null, v2: false))
        }
        switch request {
        case .object: return reply(to: request)
        case .array(let calls): return (200, .array(calls.map { reply(to: $0).body }))
        default:
            return (500, Self.errorReply(RPCFailure(code: RPCErrorCode.parseError,
                                                    message: "Top-level object parse error"), id: .null, v2: false))
        }
    }

    private func reply(to request: JSONValue) -> (status: Int, body: JSONValue) {
        let id = request["id"] ?? .null
        let v2 = request["jsonrpc"]?.stringValue == "2.0"
        do {
            guard request.objectValue != nil else {
                throw RPCFailure(code: RPCErrorCode.invalidRequest, message: "Invalid Request object")
            }
            guard let method = request["method"]?.stringValue else {
                throw RPCFailure(code: RPCErrorCode.invalidRequest, message: "Method must be a string")
            }
            let result = try call(method, params: try Self.positional(request["params"], method: method))
            return (200, v2 ? ["jsonrpc": "2.0", "result": result, "id": id]
                            : ["result": result, "error": nil, "id": id])
        } catch let failure as RPCFailure {
            let status = v2 ? 200
                : failure.code == RPCErrorCode.invalidRequest ? 400
                : failure.code == RPCErrorCode.methodNotFound ? 404 : 500
            return (status, Self.errorReply(failure, id: id, v2: v2))
        } catch {
            return (500, Self.errorReply(RPCFailure(code: RPCErrorCode.internalError, message: "\(error)"),
                                         id: id, v2: v2))
        }
    }

    private static func errorReply(_ f: RPCFailure, id: JSONValue, v2: Bool) -> JSONValue {
        let error: JSONValue = ["code": .int(Int64(f.code)), "message": .string(f.message)]
        return v2 ? ["jsonrpc": "2.0", "error": error, "id": id] : ["result": nil, "error": error, "id": id]
    }

    private static func positional(_ params: JSONValue?, method: String) throws -> [JSONValue] {
        switch params {
        case nil, .null?: return []
        case .array(let a)?: return a
        case .object(let named)?:
            let names = parameterNames[method] ?? []
            if let unknown = named.keys.first(where: { !names.contains($0) }) {
                throw RPCFailure(code: RPCErrorCode.invalidParameter, message: "Unknown named parameter \(unknown)")
            }
            var out = names.map { named[$0] ?? .null }
            while out.last == .null { out.removeLast() }
            return out
        default:
            throw RPCFailure(code: RPCErrorCode.invalidRequest, message: "Params must be an array or object")
        }
    }

    // MARK: - Methods

    private func call(_ method: String, params: [JSONValue]) throws -> JSONValue {
        calls.withLockedValue { $0 += 1 }
        if let failure = unavailable.withLockedValue({ $0 }) {
            refusedCalls.withLockedValue { $0 += 1 }
            throw failure
        }
        switch method {
        case "getbestblockhash": return .string(chain.snapshot.tip.hash.description)
        case "getblockcount": return .int(Int64(chain.snapshot.height))
        case "getblockchaininfo": return blockchainInfo(chain.snapshot)
        case "getblocktemplate": return try blockTemplate(params)
        case "submitblock": return try submitBlock(params)
        case "getblockhash": return try blockHash(params)
        case "getblock": return try block(params)
        default: throw RPCFailure(code: RPCErrorCode.methodNotFound, message: "Method not found")
        }
    }

    private func blockTemplate(_ params: [JSONValue]) throws -> JSONValue {
        let rules = params.first?["rules"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard rules.contains("segwit") else {
            throw RPCFailure(code: RPCErrorCode.invalidParameter, message:
                "getblocktemplate must be called with the segwit rule set (call with {\"rules\": [\"segwit\"]})")
        }
        if let mode = params.first?["mode"]?.stringValue, mode != "template" {
            throw RPCFailure(code: RPCErrorCode.invalidParameter, message: "Invalid mode")
        }
        return chain.template(now: now()).json
    }

    private func submitBlock(_ params: [JSONValue]) throws -> JSONValue {
        guard let hex = params.first?.stringValue else { throw Self.missing("hexdata", type: "string") }
        guard let bytes = Hex.decode(hex), let block = try? Block(serialized: bytes) else {
            throw RPCFailure(code: RPCErrorCode.deserializationError, message: "Block decode failed")
        }
        guard block.transactions.first?.isCoinbase == true else {
            throw RPCFailure(code: RPCErrorCode.deserializationError, message: "Block does not start with a coinbase")
        }
        return chain.submit(block, now: now()).json
    }

    private func blockHash(_ params: [JSONValue]) throws -> JSONValue {
        guard let height = params.first?.intValue else { throw Self.missing("height", type: "number") }
        guard let hash = chain.snapshot.hash(atHeight: Int(height)) else {
            throw RPCFailure(code: RPCErrorCode.invalidParameter, message: "Block height out of range")
        }
        return .string(hash.description)
    }

    private func block(_ params: [JSONValue]) throws -> JSONValue {
        guard let hex = params.first?.stringValue else { throw Self.missing("blockhash", type: "string") }
        guard let hash = BlockHash(displayHex: hex) else {
            throw RPCFailure(code: RPCErrorCode.invalidParameter,
                             message: "blockhash must be of length 64 (not \(hex.count), for '\(hex)')")
        }
        let snapshot = chain.snapshot
        guard let entry = snapshot.entry(hash) else {
            throw RPCFailure(code: RPCErrorCode.invalidAddressOrKey, message: "Block not found")
        }
        let verbosity = params.count > 1 ? (params[1].intValue ?? (params[1].boolValue == true ? 1 : 0)) : 1
        if verbosity == 0 { return .string(Hex.encode(entry.block.serialized)) }
        return DevnetBlockJSON.block(entry, in: snapshot)
    }

    private func blockchainInfo(_ chain: DevnetChain) -> JSONValue {
        let tip = chain.tip
        var info = DevnetBlockJSON.summary(tip, in: chain)
        info["chain"] = "regtest"
        info["devnet"] = true
        info["blocks"] = .int(Int64(tip.height))
        info["headers"] = .int(Int64(tip.height))
        info["bestblockhash"] = .string(tip.hash.description)
        info["verificationprogress"] = 1
        info["initialblockdownload"] = false
        info["size_on_disk"] = 0
        info["pruned"] = false
        info["warnings"] = []
        return .object(info)
    }

    private static func missing(_ name: String, type: String) -> RPCFailure {
        RPCFailure(code: RPCErrorCode.typeError, message: "Expected type \(type) for \(name)")
    }
}
