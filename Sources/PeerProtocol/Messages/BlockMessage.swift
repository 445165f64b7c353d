import BitcoinPrimitives

/// A full serialized Bitcoin block found by a share, relayed so that every node
/// submits it to its own bitcoind.
///
/// Layout: the block's bytes, nothing else (80-byte header first).
public struct BlockMessage: Sendable, Equatable {
    /// Bitcoin's 4,000,000-weight limit bounds a serialized block to 4,000,000 bytes.
    public static let maxSize = 4_000_000
    public var bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The block hash (SHA-256d of the first 80 bytes).
    public var blockHash: BlockHash { BlockHash(rawHash: SHA256d.hash(Array(bytes.prefix(80)))) }
}

extension BlockMessage: PeerPayload {
    public static let command = Command.block
    public func encode(to w: inout ByteWriter) { w.write(bytes) }
    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        guard r.remaining > 80 else { throw .invalidValue(offset: r.offset, reason: "a block is more than its header") }
        bytes = try r.readBytes(r.remaining)
    }
}
