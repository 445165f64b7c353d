import BitcoinPrimitives
import JSON

extension JSONValue {
    /// The bytes the RPC client sends and the devnet bitcoind answers: compact, every
    /// object's keys sorted (the form Foundation's `JSONEncoder` with `.sortedKeys` wrote).
    package var rpcSerialized: [UInt8] {
        var out: [UInt8] = []
        sortingKeys().encode(into: &out)
        return out
    }
}

/// Throwing field readers used when converting bitcoind answers into typed models.
extension JSONValue {
    func field(_ key: String, in context: String) throws(RPCError) -> JSONValue {
        guard let value = self[key] else { throw .malformedResponse("\(context): missing field '\(key)'") }
        return value
    }

    func string(_ key: String, in context: String) throws(RPCError) -> String {
        guard let s = try field(key, in: context).stringValue else {
            throw .malformedResponse("\(context): field '\(key)' is not a string")
        }
        return s
    }

    func int(_ key: String, in context: String) throws(RPCError) -> Int64 {
        guard let i = try field(key, in: context).integerValue else {
            throw .malformedResponse("\(context): field '\(key)' is not an integer")
        }
        return i
    }

    func bool(_ key: String, in context: String) throws(RPCError) -> Bool {
        guard let b = try field(key, in: context).boolValue else {
            throw .malformedResponse("\(context): field '\(key)' is not a Boolean")
        }
        return b
    }

    func array(_ key: String, in context: String) throws(RPCError) -> [JSONValue] {
        guard let a = try field(key, in: context).arrayValue else {
            throw .malformedResponse("\(context): field '\(key)' is not an array")
        }
        return a
    }

    func blockHash(_ key: String, in context: String) throws(RPCError) -> BlockHash {
        guard let h = BlockHash(displayHex: try string(key, in: context)) else {
            throw .malformedResponse("\(context): field '\(key)' is not a 64-digit hash")
        }
        return h
    }

    /// The value as a block hash in display hex (a bare result such as getbestblockhash's).
    func asBlockHash(in context: String) throws(RPCError) -> BlockHash {
        guard let s = stringValue, let h = BlockHash(displayHex: s) else {
            throw .malformedResponse("\(context): result is not a 64-digit hash")
        }
        return h
    }

    func uint32(_ key: String, in context: String) throws(RPCError) -> UInt32 {
        let i = try int(key, in: context)
        guard let v = UInt32(exactly: i) else { throw .malformedResponse("\(context): field '\(key)' out of range") }
        return v
    }
}
