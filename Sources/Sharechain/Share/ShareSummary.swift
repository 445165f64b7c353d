import BitcoinPrimitives

/// What the chain index keeps of every share: enough for fork choice, the ASERT
/// schedule, the TIDES window and locators, without the proof. Stored beside the
/// full `WireShare` so that start-up replay reads only these small records.
///
/// Layout: `hash [32] | prev [32] | height u32 | bits u32 | timestamp u64 |
///  payout_script varbytes(≤ 42) | sequence u64`
public struct ShareSummary: Sendable, Hashable {
    public var hash: ShareHash
    public var previousShare: ShareHash
    public var height: UInt32
    /// The declared share target.
    public var bits: CompactTarget
    public var timestamp: UInt64
    public var payoutScript: Script
    /// Local first-seen order (not consensus): the fork-choice tie-break.
    public var sequence: UInt64

    public init(hash: ShareHash, previousShare: ShareHash, height: UInt32, bits: CompactTarget,
                timestamp: UInt64, payoutScript: Script, sequence: UInt64) {
        self.hash = hash
        self.previousShare = previousShare
        self.height = height
        self.bits = bits
        self.timestamp = timestamp
        self.payoutScript = payoutScript
        self.sequence = sequence
    }

    /// The summary of a share first seen as number `sequence`.
    public init(_ share: WireShare, sequence: UInt64) {
        self.init(hash: share.hash, previousShare: share.header.previousShare, height: share.header.height,
                  bits: share.header.bits, timestamp: share.header.timestamp,
                  payoutScript: share.header.payoutScript, sequence: sequence)
    }
}

extension ShareSummary: ConsensusCodable {
    public func encode(to writer: inout ByteWriter) {
        writer.write(hash.rawHash)
        writer.write(previousShare.rawHash)
        writer.writeLittleEndian(height)
        writer.writeLittleEndian(bits.rawValue)
        writer.writeLittleEndian(timestamp)
        writer.writeVarBytes(payoutScript.bytes)
        writer.writeLittleEndian(sequence)
    }

    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        hash = ShareHash(rawHash: try reader.readHash256())
        previousShare = ShareHash(rawHash: try reader.readHash256())
        height = try reader.readLittleEndian()
        bits = CompactTarget(rawValue: try reader.readLittleEndian())
        timestamp = try reader.readLittleEndian()
        payoutScript = Script(try reader.readVarBytes(maxLength: ShareHeader.maxPayoutScriptSize))
        sequence = try reader.readLittleEndian()
    }
}
