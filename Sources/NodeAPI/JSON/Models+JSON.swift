import JSON
import BitcoinPrimitives

extension NodeStatus {
    var json: JSONValue {
        .fields([
            ("network", .string(network)),
            ("consensus_id", .string(consensusID.description)),
            ("tip", tip.map { .fields([("hash", .string($0.hash.description)), ("height", .uint(UInt64($0.height)))]) } ?? .null),
            ("chain_work", .string(chainWork.description)),
            ("synced", .bool(synced)),
            ("peers", .int(Int64(peers))),
            ("bitcoin", bitcoin.map {
                .fields([("height", .uint(UInt64($0.height))), ("best_block_hash", .string($0.bestBlockHash.description))])
            } ?? .null),
            ("store", .fields([("healthy", .bool(storeError == nil)), ("error", JSONValue.optional(storeError))])),
            ("retention", .fields([("shares", .int(Int64(retention.shares))), ("work", .string(retention.work.description)),
                                   ("lowest_height", .uint(UInt64(retention.lowestHeight)))])),
        ])
    }
}

extension ShareRow {
    var json: JSONValue {
        .fields([
            ("hash", .string(hash.description)),
            ("prev_hash", .string(previousShare.description)),
            ("height", .uint(UInt64(height))),
            ("bits", .string(bits.hex)),
            ("timestamp", .uint(timestamp)),
            ("payout_script", .string(payoutScript.hex)),
            ("payout_address", JSONValue.optional(payoutAddress)),
            ("node_key", .string(Hex.encode(nodeKey))),
            ("block_hash", .optional(blockHash?.description)),
        ])
    }
}

extension MinerRow {
    var json: JSONValue {
        .fields([
            ("address", .string(address)),
            ("worker", .optional(worker)),
            ("difficulty", .double(difficulty)),
            ("accepted", .uint(accepted)),
            ("rejected", .uint(rejected)),
            ("hashrate", .double(hashrate)),
            ("last_share_time", lastShareTime.map(JSONValue.uint) ?? .null),
            ("user_agent", JSONValue.optional(userAgent)),
            ("coinbase_class", coinbaseClass.map { JSONValue.uint(UInt64($0)) } ?? .null),
            ("coinbase_class_reason", JSONValue.optional(coinbaseClassReason)),
        ])
    }
}

extension FoundBlockRow {
    var json: JSONValue {
        .fields([
            ("height", .uint(UInt64(height))),
            ("hash", .string(hash.description)),
            ("share_hash", .string(shareHash.description)),
            ("time", .uint(time)),
            ("reward", .uint(reward)),
            ("accepted_by_bitcoind", acceptedByBitcoind.map(JSONValue.bool) ?? .null),
            ("verdict", .string(verdict)),
            ("is_share", .bool(isShare)),
            ("share_header", .fields([
                ("prev_hash", .string(parentShare.description)),
                ("height", .uint(UInt64(shareHeight))),
                ("bits", .string(shareBits.hex)),
                ("payout_script", .string(Hex.encode(payoutScript))),
                ("payout_address", JSONValue.optional(payoutAddress)),
                ("node_key", .string(Hex.encode(nodeKey))),
            ])),
            ("bitcoin_bits", .string(bitcoinBits.hex)),
        ])
    }
}

extension PeerRow {
    var json: JSONValue {
        .fields([
            ("address", .string(address)),
            ("direction", .string(direction.rawValue)),
            ("node_key", .optional(nodeKey.map { Hex.encode($0) })),
            ("connected_since", .uint(connectedSince)),
            ("ban_score", .int(Int64(banScore))),
        ])
    }
}
