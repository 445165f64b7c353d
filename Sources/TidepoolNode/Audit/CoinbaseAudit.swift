import BitcoinPrimitives
import Foundation
import Sharechain
import SharechainStore
import TIDES

/// `tidepool audit`: recomputes a share's (or a found block's) coinbase from the
/// local chain and compares it with what the miner hashed.
///
/// Works on a stopped node's data directory (LevelDB allows one process at a time).
public struct CoinbaseAudit {
    /// The verdict for one share.
    public struct Report: Sendable {
        public var share: ShareHash
        public var height: UInt32
        public var parent: ShareHash
        /// The TIDES split this node derives for the share.
        public var split: TidesSplit
        public var expectedMerkleRoot: MerkleRoot?
        public var actualMerkleRoot: MerkleRoot
        /// When auditing a block: whether its coinbase outputs equal the rebuilt ones.
        public var blockOutputsMatch: Bool?
        public var isBlock: Bool
        public var matches: Bool { expectedMerkleRoot == actualMerkleRoot && (blockOutputsMatch ?? true) }
    }

    /// Why an audit could not be made.
    public enum Failure: Error, CustomStringConvertible {
        case unknownShare(ShareHash)
        case parentNotIndexed(ShareHash)
        case notAPoolBlock
        case invalid(String)

        public var description: String {
            switch self {
            case .unknownShare(let h): return "share \(h) is not in this node's store"
            case .parentNotIndexed(let h): return "the parent of share \(h) is not in the retained chain (pruned?)"
            case .notAPoolBlock: return "the block's coinbase has no share commitment (not mined by a Tidepool pool)"
            case .invalid(let why): return why
            }
        }
    }

    let parameters: SharechainParameters
    let store: any ShareStore
    let foundBlocks: (any FoundBlockStore)?
    var chain: Sharechain

    /// Replays the store's chain (no validation: the store only holds validated shares).
    /// `foundBlocks` lets blocks that never entered the sharechain be audited too.
    public init(parameters: SharechainParameters, store: any ShareStore, foundBlocks: (any FoundBlockStore)? = nil) throws {
        self.parameters = parameters
        self.store = store
        self.foundBlocks = foundBlocks
        chain = try Sharechain.replay(parameters: parameters, from: store, rootAnchorTimestamp: nil)
    }

    /// Audits one stored share.
    public mutating func audit(share hash: ShareHash) throws -> Report {
        guard let share = try store.share(hash) else { throw Failure.unknownShare(hash) }
        return try audit(share)
    }

    /// Audits a found block: finds the share header its coinbase commits to (a stored
    /// share, or this node's found-block record for a block that is not a sharechain
    /// share), rebuilds the coinbase with this chain's TIDES split and the block's own
    /// scriptSig, reward and witness commitment, and compares it with the block's.
    ///
    /// Every submission on one job commits to the same share header, so the stored share
    /// with that header may carry another nonce and extranonce: the share is rebuilt
    /// from the block itself, and only its header and signature come from the store.
    public mutating func audit(block: Block) throws -> Report {
        guard let coinbase = block.transactions.first, let input = coinbase.inputs.first,
              let hash = coinbase.outputs.lazy.compactMap({ ShareCommitment.shareHash(in: $0.scriptPubKey) }).first
        else { throw Failure.notAPoolBlock }
        var source = try store.share(hash)
        if let record = try foundBlocks?.foundBlock(block.hash), record.share.hash == hash {
            source = record.share
        }
        guard let committed = source else { throw Failure.unknownShare(hash) }
        guard let reward = Amount.sum(coinbase.outputs.map(\.value)) else {
            throw Failure.invalid("the block's coinbase outputs overflow")
        }
        let witnessCommitment = coinbase.outputs.last { WitnessCommitment.commitment(in: $0.scriptPubKey) != nil }?.scriptPubKey
        let share = WireShare(header: committed.header, signature: committed.signature, bitcoinHeader: block.header,
                              coinbaseScriptSig: input.scriptSig, coinbaseValue: reward,
                              witnessCommitment: witnessCommitment ?? Script(),
                              merkleBranch: Merkle.coinbaseBranch(nonCoinbaseTxids: block.transactions.dropFirst().map(\.txid)))
        var report = try audit(share)
        let rebuilt = try CoinbaseBuilder.coinbase(for: share, payouts: report.split.outputs)
        report.blockOutputsMatch = rebuilt.outputs == coinbase.outputs && rebuilt.txid == coinbase.txid
        return report
    }

    private mutating func audit(_ share: WireShare) throws -> Report {
        let header = share.header
        let parent: ShareHash? = header.previousShare == .none ? nil : header.previousShare
        if let p = parent, !chain.index.contains(p) { throw Failure.parentNotIndexed(share.hash) }
        let networkTarget: UInt256
        do { networkTarget = try share.bitcoinHeader.bits.target() } catch {
            throw Failure.invalid("the share's Bitcoin header bits are invalid")
        }
        guard let sizeClass = header.coinbaseSizeClass else {
            throw Failure.invalid("the share declares unknown coinbase size class \(header.coinbaseSizeClassID)")
        }
        let split = try chain.split(parent: parent, payoutScript: header.payoutScript, bits: header.bits,
                                    networkTarget: networkTarget, reward: share.coinbaseValue,
                                    coinbaseSizeClass: sizeClass)
        let expected = try? CoinbaseBuilder.merkleRoot(for: share, payouts: split.outputs)
        return Report(share: share.hash, height: header.height, parent: header.previousShare, split: split,
                      expectedMerkleRoot: expected, actualMerkleRoot: share.bitcoinHeader.merkleRoot,
                      blockOutputsMatch: nil,
                      isBlock: Work.meets(share.bitcoinHeader.hash.rawHash, target: networkTarget))
    }
}
