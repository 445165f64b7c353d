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

    /// Creates a status.
    public init(network: String, consensusID: ConsensusID, tip: Tip?, chainWork: UInt256, synced: Bool,
                peers: Int, bitcoin: BitcoinTip?, storeError: String? = nil) {
        self.storeError = storeError
        self.network = network
        self.consensusID = consensusID
        self.tip = tip
        self.chainWork = chainWork
        self.synced = synced
        self.peers = peers
        self.bitcoin = bitcoin
    }
}
