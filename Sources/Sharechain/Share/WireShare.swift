import BitcoinPrimitives
import Ed25519

/// A share as it travels between peers and rests in the store (Docs/PROTOCOL.md §4):
/// everything needed to check it that a peer cannot derive. The payout outputs
/// are never sent; every node rebuilds them from its own sharechain.
///
/// Layout: `share_header | signature [64] | bitcoin_header [80] |
///  coinbase_script_sig varbytes(2…100) | coinbase_value u64 |
///  witness_commitment varbytes(0 or 38) | merkle_branch compact-size(≤ 24) × [32]`
public struct WireShare: Sendable, Hashable {
    public var header: ShareHeader
    /// Ed25519 signature of `header.signingMessage` by `header.nodeKey`.
    public var signature: Signature
    /// The Bitcoin block header the miner hashed.
    public var bitcoinHeader: BlockHeader
    /// The coinbase scriptSig: BIP34 height, node tag, extranonce1, extranonce2.
    public var coinbaseScriptSig: Script
    /// The coinbase's total output value `V` (subsidy + fees of the template).
    public var coinbaseValue: Amount
    /// The BIP141 witness commitment script, empty when the template has none.
    public var witnessCommitment: Script
    /// The coinbase's merkle branch up to `bitcoinHeader.merkleRoot`.
    public var merkleBranch: [Hash256]

    /// Bitcoin's scriptSig size bounds for coinbases.
    public static let scriptSigSizeRange = 2...100
    /// 2^24 leaves is far beyond any block that fits 4 MWU.
    public static let maxMerkleBranchLength = 24
    /// Largest encoded size: a hard cap for framing and storage.
    public static let maxEncodedSize = 2048

    public init(header: ShareHeader, signature: Signature, bitcoinHeader: BlockHeader,
                coinbaseScriptSig: Script, coinbaseValue: Amount, witnessCommitment: Script,
                merkleBranch: [Hash256]) {
        self.header = header
        self.signature = signature
        self.bitcoinHeader = bitcoinHeader
        self.coinbaseScriptSig = coinbaseScriptSig
        self.coinbaseValue = coinbaseValue
        self.witnessCommitment = witnessCommitment
        self.merkleBranch = merkleBranch
    }

    /// The share's identity.
    public var hash: ShareHash { header.hash }
}

extension WireShare: ConsensusCodable {
    /// Header, signature and Bitcoin header are under 512 bytes; the rest is counted.
    public var encodedSizeHint: Int {
        512 + coinbaseScriptSig.bytes.count + witnessCommitment.bytes.count + 32 * merkleBranch.count
    }

    public func encode(to writer: inout ByteWriter) {
        header.encode(to: &writer)
        signature.withUnsafeBytes { writer.write($0) }
        bitcoinHeader.encode(to: &writer)
        writer.writeVarBytes(coinbaseScriptSig.bytes)
        writer.writeLittleEndian(UInt64(coinbaseValue.satoshis))
        writer.writeVarBytes(witnessCommitment.bytes)
        writer.writeCompactSize(UInt64(merkleBranch.count))
        for h in merkleBranch { writer.write(h) }
    }

    public init(from reader: inout ByteReader) throws(ConsensusDecodingError) {
        header = try ShareHeader(from: &reader)
        let sigOffset = reader.offset
        guard let sig = Signature(rawRepresentation: try reader.readBytes(Signature.byteCount)) else {
            throw .invalidValue(offset: sigOffset, reason: "signature")
        }
        signature = sig
        bitcoinHeader = try BlockHeader(from: &reader)
        let sigScriptOffset = reader.offset
        coinbaseScriptSig = Script(try reader.readVarBytes(maxLength: Self.scriptSigSizeRange.upperBound))
        guard Self.scriptSigSizeRange.contains(coinbaseScriptSig.bytes.count) else {
            throw .invalidValue(offset: sigScriptOffset, reason: "coinbase scriptSig must be 2–100 bytes")
        }
        let valueOffset = reader.offset
        guard let value = Amount(satoshis: try reader.readLittleEndian(UInt64.self)) else {
            throw .invalidValue(offset: valueOffset, reason: "coinbase value exceeds 21 million BTC")
        }
        coinbaseValue = value
        let wcOffset = reader.offset
        witnessCommitment = Script(try reader.readVarBytes(maxLength: 38))
        guard witnessCommitment.bytes.isEmpty
            || (witnessCommitment.bytes.count == 38 && WitnessCommitment.commitment(in: witnessCommitment) != nil)
        else {
            throw .invalidValue(offset: wcOffset, reason: "witness commitment must be OP_RETURN aa21a9ed <32 bytes>")
        }
        let count = try reader.readCompactSize(limit: Self.maxMerkleBranchLength)
        var branch: [Hash256] = []
        branch.reserveCapacity(count)
        for _ in 0..<count { branch.append(try reader.readHash256()) }
        merkleBranch = branch
    }
}
