/// A Bitcoin transaction (Bitcoin Core `CTransaction`).
///
/// Encodes in the BIP144 segwit form (marker 0x00, flag 0x01, witnesses after the
/// outputs) when any input has a non-empty witness, otherwise in the legacy form.
/// A transaction with no inputs and no witness cannot round-trip: its legacy
/// encoding starts like a segwit marker, as in Bitcoin Core.
public struct Transaction: Sendable, Hashable {
    /// The version (signed, as Bitcoin Core stores it).
    public var version: Int32
    /// The inputs, each with its witness stack.
    public var inputs: [TxIn]
    /// The outputs.
    public var outputs: [TxOut]
    /// The lock time (block height below 500,000,000, else a Unix time).
    public var lockTime: UInt32

    /// Creates a transaction.
    public init(version: Int32, inputs: [TxIn], outputs: [TxOut], lockTime: UInt32) {
        self.version = version
        self.inputs = inputs
        self.outputs = outputs
        self.lockTime = lockTime
    }

    /// Whether any input has a non-empty witness (Core `HasWitness`).
    public var hasWitness: Bool { inputs.contains { !$0.witness.isEmpty } }

    /// Whether this is a coinbase: exactly one input, spending the null outpoint
    /// (Core `IsCoinBase`).
    public var isCoinbase: Bool { inputs.count == 1 && inputs[0].previousOutput.isNull }
}

// MARK: - Serialization (BIP144)

extension Transaction: ConsensusCodable {
    /// The BIP144 marker byte that replaces the empty input count.
    static let segwitMarker: UInt8 = 0x00
    /// The BIP144 flag byte; 0x01 means witnesses follow the outputs.
    static let segwitFlag: UInt8 = 0x01
    /// Smallest serialized transaction: version, two empty counts, lock time.
    static let minimumSerializedSize = 4 + 1 + 1 + 4

    /// Writes the segwit form when the transaction has a witness, else the legacy form.
    public func encode(to writer: inout ByteWriter) {
        encode(to: &writer, includingWitness: true)
    }

    /// Writes the transaction; with `includingWitness: false` always the legacy form
    /// (the form hashed for the txid).
    public func encode(to writer: inout ByteWriter, includingWitness: Bool) {
        let segwit = includingWitness && hasWitness
        writer.writeLittleEndian(version)
        if segwit {
            writer.write(Transaction.segwitMarker)
            writer.write(Transaction.segwitFlag)
        }
        writer.writeCompactSize(UInt64(inputs.count))
        for input in inputs { input.encode(to: &writer) }
        writer.writeCompactSize(UInt64(outputs.count))
        for output in outputs { output.encode(to: &writer) }
        if segwit {
            for input in inputs { input.encodeWitness(to: &writer) }
        }
        writer.writeLittleEndian(lockTime)
    }

    /// The serialization with or without witness data.
    public func serialized(includingWitness: Bool) -> [UInt8] {
        var w = ByteWriter(capacity: 256)
        encode(to: &w, includingWitness: includingWitness)
        return w.bytes
    }

    /// Reads either form, following Bitcoin Core's `UnserializeTransaction`.
    ///
    /// An empty input vector is read as the BIP144 marker; the flag after it must be
    /// 0x01, and a segwit encoding whose witnesses are all empty is rejected
    /// ("superfluous witness record"). Counts and lengths are bounded by the bytes
    /// left, so no prefix can cause a large allocation.
    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        version = try reader.readLittleEndian()
        var inputs = try Transaction.decodeInputs(from: &reader)
        var segwit = false
        if inputs.isEmpty {
            let flagOffset = reader.offset
            let flag = try reader.readUInt8()
            guard flag == Transaction.segwitFlag else {
                throw .invalidValue(offset: flagOffset, reason: "unknown transaction flag \(flag)")
            }
            segwit = true
            inputs = try Transaction.decodeInputs(from: &reader)
        }
        let outputCount = try reader.readCount(minElementSize: TxOut.minimumSerializedSize)
        var outputs: [TxOut] = []
        outputs.reserveCapacity(outputCount)
        for _ in 0..<outputCount { outputs.append(try TxOut(from: &reader)) }
        if segwit {
            let witnessOffset = reader.offset
            for i in inputs.indices { inputs[i].witness = try TxIn.decodeWitness(from: &reader) }
            guard inputs.contains(where: { !$0.witness.isEmpty }) else {
                throw .invalidValue(offset: witnessOffset, reason: "superfluous witness record")
            }
        }
        lockTime = try reader.readLittleEndian()
        self.inputs = inputs
        self.outputs = outputs
    }

    private static func decodeInputs(from reader: inout ByteReader) throws(ConsensusDecodingError) -> [TxIn] {
        let count = try reader.readCount(minElementSize: TxIn.minimumSerializedSize)
        var inputs: [TxIn] = []
        inputs.reserveCapacity(count)
        for _ in 0..<count { inputs.append(try TxIn(from: &reader)) }
        return inputs
    }
}

// MARK: - Hashes and size

extension Transaction {
    /// The transaction id: SHA-256d of the legacy serialization (no witness).
    public var txid: Txid { Txid(rawHash: SHA256d.hash(serialized(includingWitness: false))) }

    /// The witness transaction id (BIP141): SHA-256d of the full serialization; equals
    /// the txid when there is no witness. (In the witness commitment the coinbase's
    /// wtxid is replaced by zero; see `WitnessCommitment`.)
    public var wtxid: Wtxid { Wtxid(rawHash: SHA256d.hash(serialized(includingWitness: true))) }

    /// BIP141 weight: legacy size × 3 + full size.
    public var weight: Int {
        let base = serialized(includingWitness: false).count
        let total = hasWitness ? serialized(includingWitness: true).count : base
        return base * (ConsensusLimits.witnessScaleFactor - 1) + total
    }
}
