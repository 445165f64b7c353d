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
    /// Two hashes, the fixed fields and the script (with its length prefix).
    public var encodedSizeHint: Int { 96 + payoutScript.bytes.count }

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

extension ShareSummary {
    /// `init(serialized:)` for a well-formed record, without the generic reader (replay reads
    /// a million of them): the same summary for every input `init(serialized:)` accepts with a
    /// one-byte script length, nil for anything else (the caller then decodes with
    /// `init(serialized:)`, which gives the precise error).
    public static func decodeRecord(_ bytes: [UInt8]) -> ShareSummary? {
        bytes.withUnsafeBytes { raw -> ShareSummary? in
            // hash 32 | prev 32 | height 4 | bits 4 | timestamp 8 | length 1 | script | sequence 8
            guard raw.count >= 89 else { return nil }
            let length = Int(raw[80])
            guard length < 0xfd, length <= ShareHeader.maxPayoutScriptSize, raw.count == 89 + length else { return nil }
            func u64(_ offset: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
            func u32(_ offset: Int) -> UInt32 { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
            return ShareSummary(
                hash: ShareHash(rawHash: Hash256(littleEndianWords: u64(0), u64(8), u64(16), u64(24))),
                previousShare: ShareHash(rawHash: Hash256(littleEndianWords: u64(32), u64(40), u64(48), u64(56))),
                height: u32(64), bits: CompactTarget(rawValue: u32(68)), timestamp: u64(72),
                payoutScript: Script(Array(raw[81..<(81 + length)])), sequence: u64(81 + length))
        }
    }
}
