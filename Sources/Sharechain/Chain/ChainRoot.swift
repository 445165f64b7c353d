import BitcoinPrimitives

/// What validation needs of the shares below a pruned point (Docs/PROTOCOL.md §10): the
/// best chain's oldest retained share and the consensus state its pruned ancestors carried.
///
/// With it a pruned (or restarted, or freshly synced) node computes the same ASERT targets
/// (§7 needs only the anchor timestamp and each parent's height and timestamp) and the same
/// cumulative work as a node that kept everything. The TIDES split needs nothing from below:
/// retention keeps more work than any window can reach (§10).
///
/// Layout (little-endian): `height u32 | hash [32] | anchor_timestamp u64 | base_chain_work [32]`
/// (76 bytes).
public struct ChainRoot: Sendable, Hashable {
    /// Height of the oldest retained share on the best chain; every share below is pruned.
    public var height: UInt32
    /// Hash of that share.
    public var hash: ShareHash
    /// The chain's ASERT anchor: its first share's timestamp.
    public var anchorTimestamp: UInt64
    /// Cumulative work of the pruned ancestors (the root's parent's chain work).
    public var baseChainWork: UInt256

    /// Creates a root.
    public init(height: UInt32, hash: ShareHash, anchorTimestamp: UInt64, baseChainWork: UInt256) {
        self.height = height
        self.hash = hash
        self.anchorTimestamp = anchorTimestamp
        self.baseChainWork = baseChainWork
    }

    /// Encoded size in bytes.
    public static let encodedSize = 76
}

extension ChainRoot: ConsensusCodable {
    public func encode(to writer: inout ByteWriter) {
        writer.writeLittleEndian(height)
        writer.write(hash.rawHash)
        writer.writeLittleEndian(anchorTimestamp)
        writer.write(baseChainWork.littleEndianBytes)
    }

    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        height = try reader.readLittleEndian()
        hash = ShareHash(rawHash: try reader.readHash256())
        anchorTimestamp = try reader.readLittleEndian()
        baseChainWork = UInt256(littleEndianBytes: try reader.readBytes(32))
    }
}
