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

/// Something that can hold a `getblocktemplate` request open until the template
/// changes (BIP22 long polling): bitcoind answers a request carrying the previous
/// template's `longpollid` as soon as its tip changes (or, after a minute, when its
/// mempool changed), so a new block is seen without waiting for the next poll.
public protocol LongPollTemplateSource: Sendable {
    /// With `longPollID` nil, a template at once; otherwise the next template after the
    /// one that carried `longPollID`, when bitcoind has one.
    func blockTemplate(longPollID: String?) async throws -> BlockTemplate
}
