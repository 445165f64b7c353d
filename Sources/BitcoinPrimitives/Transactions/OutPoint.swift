/// A reference to one output of an earlier transaction (Bitcoin Core `COutPoint`).
public struct OutPoint: Sendable, Hashable, ConsensusCodable {
    /// The transaction holding the output.
    public var txid: Txid
    /// The output's index in that transaction.
    public var index: UInt32

    /// Creates an outpoint.
    public init(txid: Txid, index: UInt32) {
        self.txid = txid
        self.index = index
    }

    /// The null outpoint (zero txid, index 0xffffffff) that a coinbase input spends.
    public static let null = OutPoint(txid: Txid(rawHash: .zero), index: .max)

    /// Whether this is the null outpoint.
    public var isNull: Bool { self == .null }

    /// Serialized size: 32-byte txid and 4-byte index.
    public static let serializedSize = 36

    /// Writes the txid (internal byte order) and the index (little-endian).
    public func encode(to writer: inout ByteWriter) {
        writer.write(txid.rawHash)
        writer.writeLittleEndian(index)
    }

    /// Reads 36 bytes.
    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        txid = Txid(rawHash: try reader.readHash256())
        index = try reader.readLittleEndian()
    }
}

extension OutPoint: CustomStringConvertible {
    /// `txid:index`, with the txid in display order.
    public var description: String { "\(txid):\(index)" }
}
