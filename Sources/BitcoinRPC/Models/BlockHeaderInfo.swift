import JSON
import BitcoinPrimitives

/// The fields of `getblockheader HASH true` the node uses to bind shares to the real
/// Bitcoin chain.
public struct BlockHeaderInfo: Sendable, Hashable {
    public var hash: BlockHash
    public var height: Int
    public var bits: CompactTarget
    public var time: UInt32
    /// nil for the genesis block.
    public var previousBlockHash: BlockHash?
    /// −1 when the block is not on bitcoind's active chain.
    public var confirmations: Int

    public init(hash: BlockHash, height: Int, bits: CompactTarget, time: UInt32, previousBlockHash: BlockHash?,
                confirmations: Int) {
        self.hash = hash
        self.height = height
        self.bits = bits
        self.time = time
        self.previousBlockHash = previousBlockHash
        self.confirmations = confirmations
    }

    /// Reads a `getblockheader` (verbose) result.
    public init(json: JSONValue) throws(RPCError) {
        let ctx = "getblockheader"
        guard let bits = CompactTarget(hex: try json.string("bits", in: ctx)) else {
            throw .malformedResponse("\(ctx): bits is not 8 hex digits")
        }
        var previous: BlockHash?
        if let p = json["previousblockhash"], !p.isNull { previous = try json.blockHash("previousblockhash", in: ctx) }
        self.init(hash: try json.blockHash("hash", in: ctx), height: Int(try json.int("height", in: ctx)), bits: bits,
                  time: try json.uint32("time", in: ctx), previousBlockHash: previous,
                  confirmations: Int(try json.int("confirmations", in: ctx)))
    }
}
