import BitcoinPrimitives

/// A Bitcoin block found by this node's miners, kept so that every found block stays
/// auditable — also a block that never entered the sharechain (its header met the
/// Bitcoin target but not the share target, or its share went stale).
///
/// `share` is the signed share its coinbase commits to, in wire form: the share
/// header (parent share, bits, payout script, node key), the Bitcoin header and the
/// coinbase pieces. With the sharechain up to `share.header.previousShare` anyone can
/// recompute the TIDES split the coinbase pays (Docs/PROTOCOL.md §6).
///
/// Layout (little-endian): `format u8 (1) | found_at u64 | bitcoin_height u32 |
/// is_share u8 | verdict varbytes(≤ 256, UTF-8) | wire_share`.
public struct FoundBlockRecord: Sendable, Hashable {
    /// The block's hash.
    public var blockHash: BlockHash { share.bitcoinHeader.hash }
    /// The share header, Bitcoin header and coinbase pieces the block commits to.
    public var share: WireShare
    /// The block's height on the Bitcoin chain.
    public var bitcoinHeight: UInt32
    /// When the node found it, Unix seconds.
    public var foundAt: UInt64
    /// Whether the header also met the share target when found (it may still not be a
    /// sharechain share: its job may have gone stale).
    public var isShare: Bool
    /// bitcoind's verdict on `submitblock`, as text: `pending` until it answers, then
    /// `accepted`, `duplicate`, `inconclusive`, `duplicate-invalid`,
    /// `duplicate-inconclusive`, `rejected: REASON` or `not submitted: WHY`.
    public var verdict: String

    /// The verdict before bitcoind has answered.
    public static let pending = "pending"
    /// Longest verdict text stored.
    public static let maximumVerdictLength = 256

    /// Creates a record.
    public init(share: WireShare, bitcoinHeight: UInt32, foundAt: UInt64, isShare: Bool, verdict: String = Self.pending) {
        self.share = share
        self.bitcoinHeight = bitcoinHeight
        self.foundAt = foundAt
        self.isShare = isShare
        self.verdict = verdict
    }

    /// The coinbase value the block claims (subsidy + fees), the TIDES reward `V`.
    public var reward: Amount { share.coinbaseValue }
}

extension FoundBlockRecord: ConsensusCodable {
    public func encode(to writer: inout ByteWriter) {
        writer.write(1 as UInt8)
        writer.writeLittleEndian(foundAt)
        writer.writeLittleEndian(bitcoinHeight)
        writer.write(isShare ? 1 : 0 as UInt8)
        writer.writeVarBytes(Array(verdict.utf8.prefix(Self.maximumVerdictLength)))
        share.encode(to: &writer)
    }

    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        let formatOffset = reader.offset
        guard try reader.readUInt8() == 1 else { throw .invalidValue(offset: formatOffset, reason: "found-block record format") }
        foundAt = try reader.readLittleEndian()
        bitcoinHeight = try reader.readLittleEndian()
        let flagOffset = reader.offset
        switch try reader.readUInt8() {
        case 0: isShare = false
        case 1: isShare = true
        default: throw .invalidValue(offset: flagOffset, reason: "is_share flag")
        }
        verdict = String(decoding: try reader.readVarBytes(maxLength: Self.maximumVerdictLength), as: UTF8.self)
        share = try reader.read(WireShare.self)
    }
}

/// Where a node keeps the blocks it found (consumer-owned; the LevelDB store implements it).
public protocol FoundBlockStore: Sendable {
    /// Stores `record`, replacing an earlier record of the same block found at the same time.
    func recordFoundBlock(_ record: FoundBlockRecord) throws
    /// The newest `limit` records, newest first.
    func foundBlocks(limit: Int) throws -> [FoundBlockRecord]
    /// The record of the block `hash`, if this node found it.
    func foundBlock(_ hash: BlockHash) throws -> FoundBlockRecord?
}
