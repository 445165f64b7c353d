/// An 80-byte Bitcoin block header (Bitcoin Core `CBlockHeader`).
public struct BlockHeader: Sendable, Hashable {
    /// Block version (BIP9 version bits).
    public var version: Int32
    /// Hash of the previous block's header.
    public var prevBlock: BlockHash
    /// Merkle root of the block's txids.
    public var merkleRoot: MerkleRoot
    /// Block time, Unix seconds.
    public var time: UInt32
    /// Proof-of-work target in compact form.
    public var bits: CompactTarget
    /// The nonce miners vary.
    public var nonce: UInt32

    /// Serialized size of every header.
    public static let serializedSize = 80

    /// Creates a header.
    public init(version: Int32, prevBlock: BlockHash, merkleRoot: MerkleRoot,
                time: UInt32, bits: CompactTarget, nonce: UInt32) {
        self.version = version
        self.prevBlock = prevBlock
        self.merkleRoot = merkleRoot
        self.time = time
        self.bits = bits
        self.nonce = nonce
    }

    /// The block hash: SHA-256d of the 80 serialized bytes, hashed from a stack buffer.
    public var hash: BlockHash {
        BlockHash(rawHash: withSerializedBytes { SHA256d.hash(bufferPointer: $0) })
    }

    /// Calls `body` with the 80 serialized bytes, built on the stack without allocating.
    public func withSerializedBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &storage) { raw in
            var w = FixedBufferWriter(raw)
            w.writeLittleEndian(version)
            w.write(prevBlock.rawHash)
            w.write(merkleRoot.rawHash)
            w.writeLittleEndian(time)
            w.writeLittleEndian(bits.rawValue)
            w.writeLittleEndian(nonce)
            return try body(UnsafeRawBufferPointer(raw))
        }
    }
}

extension BlockHeader: ConsensusCodable {
    /// Writes the 80 bytes: version, previous hash, merkle root, time, bits, nonce.
    public func encode(to writer: inout ByteWriter) {
        withSerializedBytes { writer.write($0) }
    }

    /// Reads exactly 80 bytes.
    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        if reader.remaining < BlockHeader.serializedSize {
            throw .truncated(offset: reader.offset, needed: BlockHeader.serializedSize - reader.remaining)
        }
        version = try reader.readLittleEndian()
        prevBlock = BlockHash(rawHash: try reader.readHash256())
        merkleRoot = MerkleRoot(rawHash: try reader.readHash256())
        time = try reader.readLittleEndian()
        bits = CompactTarget(rawValue: try reader.readLittleEndian())
        nonce = try reader.readLittleEndian()
    }
}
