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
    var chain: Sharechain

    /// Replays the store's chain (no validation: the store only holds validated shares).
    public init(parameters: SharechainParameters, store: any ShareStore) throws {
        self.parameters = parameters
        self.store = store
        chain = try Sharechain.replay(parameters: parameters, from: store, rootAnchorTimestamp: nil)
    }

    /// Audits one stored share.
    public mutating func audit(share hash: ShareHash) throws -> Report {
        guard let share = try store.share(hash) else { throw Failure.unknownShare(hash) }
        return try audit(share)
    }

    /// Audits the share a found block commits to, and compares the block's coinbase
    /// outputs with the rebuilt coinbase's.
    public mutating func audit(block: Block) throws -> Report {
        guard let coinbase = block.transactions.first,
              let hash = coinbase.outputs.lazy.compactMap({ ShareCommitment.shareHash(in: $0.scriptPubKey) }).first
        else { throw Failure.notAPoolBlock }
        guard let share = try store.share(hash) else { throw Failure.unknownShare(hash) }
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
