/// A transaction output (Bitcoin Core `CTxOut`).
public struct TxOut: Sendable, Hashable, ConsensusCodable {
    /// The value paid.
    public var value: Amount
    /// The locking script.
    public var scriptPubKey: Script

    /// Creates an output.
    public init(value: Amount, scriptPubKey: Script) {
        self.value = value
        self.scriptPubKey = scriptPubKey
    }

    /// Smallest serialized output: 8-byte value and an empty script.
    static let minimumSerializedSize = 8 + 1

    /// Writes the value (little-endian satoshis) and the script with its length.
    public func encode(to writer: inout ByteWriter) {
        writer.writeLittleEndian(value.satoshis)
        writer.writeVarBytes(scriptPubKey.bytes)
    }

    /// Reads an output; a value outside `0...Amount.maxMoney` is `invalidValue`.
    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        let offset = reader.offset
        let satoshis: Int64 = try reader.readLittleEndian()
        guard let amount = Amount(satoshis: satoshis) else {
            throw .invalidValue(offset: offset, reason: "output value \(satoshis) outside 0...MAX_MONEY")
        }
        value = amount
        scriptPubKey = Script(try reader.readBoundedVarBytes())
    }
}
