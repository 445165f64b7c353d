import BitcoinPrimitives
import Sharechain

/// One Bitcoin block this node's miners found, for `GET /api/v1/blocks`: with bitcoind's
/// verdict and the share header its coinbase commits to, so anyone holding the
/// sharechain can recompute its TIDES split — also for blocks that are not shares.
public struct FoundBlockRow: Sendable, Equatable {
    /// Block height.
    public var height: UInt32
    /// Block hash.
    public var hash: BlockHash
    /// The share header the coinbase commits to (a sharechain share only if `isShare`).
    public var shareHash: ShareHash
    /// When it was found, Unix seconds.
    public var time: UInt64
    /// Coinbase value, satoshis.
    public var reward: UInt64
    /// bitcoind's verdict on `submitblock`: true accepted, false rejected, nil not known yet.
    public var acceptedByBitcoind: Bool?
    /// The verdict as text (`pending`, `accepted`, `duplicate`, `inconclusive`, `rejected: …`, `not submitted: …`).
    public var verdict: String
    /// Whether the committed share header is in this node's sharechain.
    public var isShare: Bool
    /// The committed share header's parent share (`ShareHash.none` for a first share).
    public var parentShare: ShareHash
    /// The committed share header's height.
    public var shareHeight: UInt32
    /// The committed share header's target.
    public var shareBits: CompactTarget
    /// The block header's bits (the TIDES window's network target).
    public var bitcoinBits: CompactTarget
    /// The committed share header's payout script (the TIDES `s0`).
    public var payoutScript: [UInt8]
    /// The payout script as an address, when standard.
    public var payoutAddress: String?
    /// The publishing node's Ed25519 key.
    public var nodeKey: [UInt8]

    /// Creates a row.
    public init(height: UInt32, hash: BlockHash, shareHash: ShareHash, time: UInt64, reward: UInt64,
                acceptedByBitcoind: Bool?, verdict: String, isShare: Bool, parentShare: ShareHash,
                shareHeight: UInt32, shareBits: CompactTarget, bitcoinBits: CompactTarget, payoutScript: [UInt8],
                payoutAddress: String?, nodeKey: [UInt8]) {
        self.height = height
        self.hash = hash
        self.shareHash = shareHash
        self.time = time
        self.reward = reward
        self.acceptedByBitcoind = acceptedByBitcoind
        self.verdict = verdict
        self.isShare = isShare
        self.parentShare = parentShare
        self.shareHeight = shareHeight
        self.shareBits = shareBits
        self.bitcoinBits = bitcoinBits
        self.payoutScript = payoutScript
        self.payoutAddress = payoutAddress
        self.nodeKey = nodeKey
    }
}
