import BitcoinPrimitives
import Sharechain

/// `GET /api/v1/status`.
public struct NodeStatus: Sendable, Equatable {
    /// The best share.
    public struct Tip: Sendable, Equatable {
        /// Its hash.
        public var hash: ShareHash
        /// Its height.
        public var height: UInt32
        /// Creates a tip.
        public init(hash: ShareHash, height: UInt32) {
            self.hash = hash
            self.height = height
        }
    }

    /// The Bitcoin chain as bitcoind reports it.
    public struct BitcoinTip: Sendable, Equatable {
        /// Block height.
        public var height: UInt32
        /// Hash of the best block.
        public var bestBlockHash: BlockHash
        /// Creates a Bitcoin tip.
        public init(height: UInt32, bestBlockHash: BlockHash) {
            self.height = height
            self.bestBlockHash = bestBlockHash
        }
    }

    /// What the node keeps of the sharechain (Docs/PROTOCOL.md §10).
    public struct Retention: Sendable, Equatable {
        /// Shares in the chain index.
        public var shares: Int
        /// Work of the retained best chain (rendered as a decimal string).
        public var work: UInt256
        /// Lowest retained height (0 while nothing was pruned).
        public var lowestHeight: UInt32
        /// Creates a retention summary.
        public init(shares: Int, work: UInt256, lowestHeight: UInt32) {
            self.shares = shares
            self.work = work
            self.lowestHeight = lowestHeight
        }
    }

    /// Network name (`mainnet`, `devnet`, …).
    public var network: String
    /// The consensus ID peers compare.
    public var consensusID: ConsensusID
    /// The best share; nil while the chain is empty (rendered as `null`).
    public var tip: Tip?
    /// Cumulative share work of the best chain (rendered as a decimal string).
    public var chainWork: UInt256
    /// Whether the node considers itself caught up with its peers.
    public var synced: Bool
    /// Connected peers.
    public var peers: Int
    /// bitcoind's chain; nil when unknown (rendered as `null`).
    public var bitcoin: BitcoinTip?

    /// The share store's health: nil while it works, else why its last write failed.
    /// While it fails the node hands out no work (Docs/OPERATIONS.md, "A failing store").
    public var storeError: String?
    /// Retained shares and work.
    public var retention: Retention

    /// Creates a status.
    public init(network: String, consensusID: ConsensusID, tip: Tip?, chainWork: UInt256, synced: Bool,
                peers: Int, bitcoin: BitcoinTip?, storeError: String? = nil,
                retention: Retention = Retention(shares: 0, work: .zero, lowestHeight: 0)) {
        self.storeError = storeError
        self.retention = retention
        self.network = network
        self.consensusID = consensusID
        self.tip = tip
        self.chainWork = chainWork
        self.synced = synced
        self.peers = peers
        self.bitcoin = bitcoin
    }
}
