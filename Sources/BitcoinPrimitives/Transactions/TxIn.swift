/// A transaction input (Bitcoin Core `CTxIn`) with its BIP141 witness stack.
public struct TxIn: Sendable, Hashable, ConsensusCodable {
    /// The output being spent (`OutPoint.null` in a coinbase).
    public var previousOutput: OutPoint
    /// The unlocking script; in a coinbase, arbitrary data starting with the BIP34 height.
    public var scriptSig: Script
    /// The sequence number (BIP68 relative lock time when below 2^31).
    public var sequence: UInt32
    /// The witness stack (BIP141); empty for non-segwit inputs.
    public var witness: [[UInt8]]

    /// `0xffffffff`: final, disables lock time for this input.
    public static let finalSequence: UInt32 = 0xffff_ffff

    /// Creates an input.
    public init(previousOutput: OutPoint, scriptSig: Script = Script(),
                sequence: UInt32 = TxIn.finalSequence, witness: [[UInt8]] = []) {
        self.previousOutput = previousOutput
        self.scriptSig = scriptSig
        self.sequence = sequence
        self.witness = witness
    }

    /// Smallest serialized input without witness: outpoint, empty script, sequence.
    static let minimumSerializedSize = OutPoint.serializedSize + 1 + 4

    /// Writes the outpoint, scriptSig and sequence. The witness is not part of this
    /// encoding; `Transaction` writes it after the outputs (BIP144).
    public func encode(to writer: inout ByteWriter) {
        previousOutput.encode(to: &writer)
        writer.writeVarBytes(scriptSig.bytes)
        writer.writeLittleEndian(sequence)
    }

    /// Reads the outpoint, scriptSig and sequence; the witness is left empty.
    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        previousOutput = try OutPoint(from: &reader)
        scriptSig = Script(try reader.readBoundedVarBytes())
        sequence = try reader.readLittleEndian()
        witness = []
    }

    /// Writes the witness stack: item count, then each item with its length (BIP144).
    func encodeWitness(to writer: inout ByteWriter) {
        writer.writeCompactSize(UInt64(witness.count))
        for item in witness { writer.writeVarBytes(item) }
    }

    /// Reads a witness stack, each count and length bounded by the bytes left.
    static func decodeWitness(from reader: inout ByteReader) throws(ConsensusDecodingError) -> [[UInt8]] {
        let count = try reader.readCount(minElementSize: 1)
        var items: [[UInt8]] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try reader.readBoundedVarBytes()) }
        return items
    }
}
