import JSON
import BitcoinPrimitives

/// The fields of `getblockchaininfo` Tidepool uses.
public struct BlockchainInfo: Sendable, Equatable {
    /// bitcoind's chain name: `main`, `test`, `testnet4`, `signet` or `regtest`.
    public var chain: String
    /// Height of the best validated block.
    public var blocks: Int
    /// Height of the best known header.
    public var headers: Int
    /// Hash of the best validated block.
    public var bestBlockHash: BlockHash
    /// Whether bitcoind is still in initial block download.
    public var initialBlockDownload: Bool
    /// Whether the server is Tidepool's simulated devnet chain (its extra `devnet: true` field).
    public var isDevnet: Bool

    /// Creates the value.
    public init(chain: String, blocks: Int, headers: Int, bestBlockHash: BlockHash,
                initialBlockDownload: Bool, isDevnet: Bool = false) {
        self.chain = chain
        self.blocks = blocks
        self.headers = headers
        self.bestBlockHash = bestBlockHash
        self.initialBlockDownload = initialBlockDownload
        self.isDevnet = isDevnet
    }

    /// Reads a `getblockchaininfo` result.
    public init(json: JSONValue) throws(RPCError) {
        let ctx = "getblockchaininfo"
        self.init(chain: try json.string("chain", in: ctx),
                  blocks: Int(try json.int("blocks", in: ctx)),
                  headers: Int(try json.int("headers", in: ctx)),
                  bestBlockHash: try json.blockHash("bestblockhash", in: ctx),
                  initialBlockDownload: try json.bool("initialblockdownload", in: ctx),
                  isDevnet: json["devnet"]?.boolValue ?? false)
    }

    /// The network for `chain`, or nil for a chain Tidepool does not mine on
    /// (e.g. the retired `test` = testnet3).
    public var network: BitcoinNetwork? {
        switch chain {
        case "main": return .mainnet
        case "testnet4": return .testnet4
        case "signet": return .signet
        case "regtest": return .regtest
        default: return nil
        }
    }
}
