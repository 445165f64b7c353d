import BitcoinPrimitives

/// Something that hands out block templates (bitcoind's `getblocktemplate`).
public protocol BlockTemplateSource: Sendable {
    /// A fresh template on the current tip.
    func blockTemplate() async throws -> BlockTemplate
}

/// Something that accepts found blocks (bitcoind's `submitblock`).
public protocol BlockSubmitter: Sendable {
    /// Submits a full block and reports bitcoind's verdict.
    func submitBlock(_ block: Block) async throws -> SubmitBlockResult
}

/// Something that knows the Bitcoin tip (bitcoind's `getbestblockhash`).
public protocol BitcoinTipSource: Sendable {
    /// The hash of the best block.
    func bestBlockHash() async throws -> BlockHash
}
