import JSON
import BitcoinPrimitives

extension BitcoinRPCClient: BlockTemplateSource, BlockSubmitter, BitcoinTipSource, LongPollTemplateSource {
    /// `getblocktemplate` with `rules` (default: the configuration's network rules,
    /// `["segwit"]`, plus `"signet"` on signet).
    ///
    /// With a `longPollID` (a previous template's), bitcoind holds the call until the
    /// tip changes (BIP22 long polling): use a client of its own for that, since this
    /// client runs one call at a time, and a `callTimeout` longer than the wait.
    public func getBlockTemplate(rules: [String]? = nil, longPollID: String? = nil) async throws -> BlockTemplate {
        let rules = rules ?? configuration.templateRules
        var request: [String: JSONValue] = ["rules": .array(rules.map(JSONValue.string))]
        if let longPollID { request["longpollid"] = .string(longPollID) }
        let result = try await call("getblocktemplate", [.sortedObject(request)])
        return try BlockTemplate(json: result)
    }

    /// A template at once, or the next one after `longPollID` (`LongPollTemplateSource`).
    public func blockTemplate(longPollID: String?) async throws -> BlockTemplate {
        try await getBlockTemplate(longPollID: longPollID)
    }

    /// `submitblock` with the block's hex serialization.
    public func submitBlock(hex: String) async throws -> SubmitBlockResult {
        try SubmitBlockResult(json: try await call("submitblock", [.string(hex)]))
    }

    /// `getbestblockhash`.
    public func getBestBlockHash() async throws -> BlockHash {
        try await call("getbestblockhash").asBlockHash(in: "getbestblockhash")
    }

    /// `getblockheader HASH true`, or nil when bitcoind does not know the block (-5).
    public func getBlockHeader(_ hash: BlockHash) async throws -> BlockHeaderInfo? {
        do {
            return try BlockHeaderInfo(json: try await call("getblockheader", [.string(hash.description), .bool(true)]))
        } catch RPCError.server(code: -5, message: _) {
            return nil
        }
    }

    /// `getblockhash HEIGHT` on the active chain, or nil past the tip (-8).
    public func getBlockHash(height: Int) async throws -> BlockHash? {
        do {
            return try await call("getblockhash", [.int(Int64(height))]).asBlockHash(in: "getblockhash")
        } catch RPCError.server(code: -8, message: _) {
            return nil
        }
    }

    /// `getblockchaininfo`.
    public func getBlockchainInfo() async throws -> BlockchainInfo {
        try BlockchainInfo(json: try await call("getblockchaininfo"))
    }

    /// `getblockcount`: the height of the best block.
    public func getBlockCount() async throws -> Int {
        guard let n = try await call("getblockcount").integerValue else {
            throw RPCError.malformedResponse("getblockcount: result is not an integer")
        }
        return Int(n)
    }

    /// A template for the configured network (`BlockTemplateSource`).
    public func blockTemplate() async throws -> BlockTemplate { try await getBlockTemplate() }

    /// Submits a full block, serialized with witnesses (`BlockSubmitter`).
    public func submitBlock(_ block: Block) async throws -> SubmitBlockResult {
        try await submitBlock(hex: Hex.encode(block.serialized))
    }

    /// The best block hash (`BitcoinTipSource`).
    public func bestBlockHash() async throws -> BlockHash { try await getBestBlockHash() }
}
