import BitcoinPrimitives
import Sharechain

/// One Bitcoin block the sharechain found, for `GET /api/v1/blocks`.
public struct FoundBlockRow: Sendable, Equatable {
    /// Block height.
    public var height: UInt32
    /// Block hash.
    public var hash: BlockHash
    /// The share that is the block.
    public var shareHash: ShareHash
    /// Block time, Unix seconds.
    public var time: UInt64
    /// Coinbase value, satoshis.
    public var reward: UInt64
    /// bitcoind's verdict on `submitblock`: true accepted, false rejected, nil not known yet.
    public var acceptedByBitcoind: Bool?

    /// Creates a row.
    public init(height: UInt32, hash: BlockHash, shareHash: ShareHash, time: UInt64, reward: UInt64,
                acceptedByBitcoind: Bool?) {
        self.height = height
        self.hash = hash
        self.shareHash = shareHash
        self.time = time
        self.reward = reward
        self.acceptedByBitcoind = acceptedByBitcoind
    }
}
