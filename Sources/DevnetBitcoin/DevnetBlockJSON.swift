import JSON
import BitcoinPrimitives
import BitcoinRPC

/// `getblock` / `getblockchaininfo` fields of a devnet block, as bitcoind names them.
enum DevnetBlockJSON {
    /// Fields shared by `getblock` and `getblockchaininfo`.
    static func summary(_ entry: DevnetChain.Entry, in chain: DevnetChain) -> [String: JSONValue] {
        let target = (try? entry.block.header.bits.target()) ?? .max
        return [
            "difficulty": .double(DisplayDifficulty.of(target: target)),
            "time": .int(Int64(entry.block.header.time)),
            "mediantime": .int(Int64(chain.medianTimePast(of: entry.hash))),
            "chainwork": .string(entry.chainWork.hexString),
        ]
    }

    /// `getblock` with verbosity 1: header fields and the txids.
    static func block(_ entry: DevnetChain.Entry, in chain: DevnetChain) -> JSONValue {
        let header = entry.block.header
        let version = UInt32(bitPattern: header.version)
        let versionHex = String(version, radix: 16)
        var o = summary(entry, in: chain)
        o["hash"] = .string(entry.hash.description)
        o["confirmations"] = .int(chain.isActive(entry.hash) ? Int64(chain.height - entry.height + 1) : -1)
        o["height"] = .int(Int64(entry.height))
        o["version"] = .int(Int64(header.version))
        o["versionHex"] = .string(String(repeating: "0", count: 8 - versionHex.count) + versionHex)
        o["merkleroot"] = .string(header.merkleRoot.description)
        o["nonce"] = .int(Int64(header.nonce))
        o["bits"] = .string(header.bits.hex)
        o["nTx"] = .int(Int64(entry.block.transactions.count))
        o["size"] = .int(Int64(entry.block.serialized.count))
        o["weight"] = .int(Int64(entry.block.weight))
        o["tx"] = .array(entry.block.transactions.map { .string($0.txid.description) })
        if entry.height > 0 { o["previousblockhash"] = .string(header.prevBlock.description) }
        if chain.isActive(entry.hash), let next = chain.hash(atHeight: entry.height + 1) {
            o["nextblockhash"] = .string(next.description)
        }
        return .sortedObject(o)
    }
}
