import BitcoinPrimitives

/// What a store records when it prunes, in the same write batch as the first deletion
/// (Docs/STORAGE.md record `'r'`): the chain root below which shares are gone, and the
/// retention reference capacity (node policy, `RetentionPolicy`), so that a restarted node
/// replays the same consensus state and keeps retaining as much as before.
///
/// Layout: `ChainRoot (76 bytes) | reference_capacity [32] | adopted u8 (0 or 1)` (109 bytes).
public struct PruneState: Sendable, Hashable {
    /// The best chain's oldest retained share and the state of its pruned ancestors.
    public var root: ChainRoot
    /// The largest TIDES window capacity `Z` the node has validated a share with.
    public var referenceCapacity: UInt256
    /// Whether the root was received from peers (a sync from pruned peers) rather than made
    /// by this node's own prune: shares whose window reaches below it skip the payout check.
    public var adoptedFromPeers: Bool

    /// Creates a prune state.
    public init(root: ChainRoot, referenceCapacity: UInt256, adoptedFromPeers: Bool = false) {
        self.root = root
        self.referenceCapacity = referenceCapacity
        self.adoptedFromPeers = adoptedFromPeers
    }
}

extension PruneState: ConsensusCodable {
    public func encode(to writer: inout ByteWriter) {
        root.encode(to: &writer)
        writer.write(referenceCapacity.littleEndianBytes)
        writer.write(adoptedFromPeers ? 1 as UInt8 : 0)
    }

    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        root = try ChainRoot(from: &reader)
        referenceCapacity = UInt256(littleEndianBytes: try reader.readBytes(32))
        let start = reader.offset
        switch try reader.readUInt8() {
        case 0: adoptedFromPeers = false
        case 1: adoptedFromPeers = true
        default: throw .invalidValue(offset: start, reason: "adopted flag is not 0 or 1")
        }
    }
}
