import BitcoinPrimitives
import Sharechain

/// One share of `GET /api/v1/shares`.
public struct ShareRow: Sendable, Equatable {
    /// The share's hash.
    public var hash: ShareHash
    /// Its parent.
    public var previousShare: ShareHash
    /// Its height.
    public var height: UInt32
    /// Its declared target.
    public var bits: CompactTarget
    /// Its timestamp, Unix seconds.
    public var timestamp: UInt64
    /// The miner's payout script.
    public var payoutScript: Script
    /// The payout script as an address of the node's network, when it is a standard one.
    public var payoutAddress: String?
    /// The publishing node's Ed25519 public key (32 bytes).
    public var nodeKey: [UInt8]
    /// The Bitcoin block hash when the share is also a block.
    public var blockHash: BlockHash?

    /// Creates a row.
    public init(hash: ShareHash, previousShare: ShareHash, height: UInt32, bits: CompactTarget, timestamp: UInt64,
                payoutScript: Script, payoutAddress: String?, nodeKey: [UInt8], blockHash: BlockHash?) {
        self.hash = hash
        self.previousShare = previousShare
        self.height = height
        self.bits = bits
        self.timestamp = timestamp
        self.payoutScript = payoutScript
        self.payoutAddress = payoutAddress
        self.nodeKey = nodeKey
        self.blockHash = blockHash
    }

    /// A row from a chain summary, the address derived for `network`.
    public init(summary: ShareSummary, network: BitcoinNetwork, nodeKey: [UInt8], blockHash: BlockHash?) {
        self.init(hash: summary.hash, previousShare: summary.previousShare, height: summary.height,
                  bits: summary.bits, timestamp: summary.timestamp, payoutScript: summary.payoutScript,
                  payoutAddress: Address(scriptPubKey: summary.payoutScript)?.encoded(for: network),
                  nodeKey: nodeKey, blockHash: blockHash)
    }
}
