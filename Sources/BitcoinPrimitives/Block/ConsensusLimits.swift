/// Consensus size limits used to bound decoding.
public enum ConsensusLimits {
    /// BIP141 block weight limit (`MAX_BLOCK_WEIGHT`).
    public static let maxBlockWeight = 4_000_000
    /// Largest possible serialized block (`MAX_BLOCK_SERIALIZED_SIZE`); no transaction,
    /// script or witness item inside a block can be longer, so decoders cap every
    /// length prefix by it.
    public static let maxBlockSerializedSize = 4_000_000
    /// BIP141 weight of a non-witness byte.
    public static let witnessScaleFactor = 4
}

extension ByteReader {
    /// Reads a CompactSize element count, capped so that `count × minElementSize` fits
    /// in both the bytes left and `ConsensusLimits.maxBlockSerializedSize`. Callers
    /// may then reserve capacity for the count without trusting the prefix.
    mutating func readCount(minElementSize: Int) throws(ConsensusDecodingError) -> Int {
        let bound = min(remaining, ConsensusLimits.maxBlockSerializedSize) / minElementSize
        return try readCompactSize(limit: bound)
    }

    /// Reads a CompactSize-prefixed byte string no longer than the bytes left or the
    /// block size limit.
    mutating func readBoundedVarBytes() throws(ConsensusDecodingError) -> [UInt8] {
        try readVarBytes(maxLength: min(remaining, ConsensusLimits.maxBlockSerializedSize))
    }
}
