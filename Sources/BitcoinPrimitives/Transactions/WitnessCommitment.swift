/// The BIP141 witness commitment that a segwit block's coinbase carries.
///
/// The witness merkle root is the merkle root of all wtxids with the coinbase's
/// replaced by zero; the commitment is `SHA256d(root || reserved value)`, where the
/// reserved value is the coinbase input's single 32-byte witness item (zero by
/// convention); the coinbase output holding it is `OP_RETURN 0x24 aa21a9ed <32 bytes>`.
public enum WitnessCommitment {
    /// The four bytes after `OP_RETURN 0x24` that mark a commitment output.
    public static let header: [UInt8] = [0xaa, 0x21, 0xa9, 0xed]
    /// The witness reserved value used by Bitcoin Core: 32 zero bytes.
    public static let defaultReservedValue = Hash256.zero

    /// The witness merkle root of a block's wtxids in block order; the first entry is
    /// the coinbase and is replaced by zero. Zero for an empty list.
    public static func witnessMerkleRoot(blockWtxids: [Wtxid]) -> Hash256 {
        var leaves = blockWtxids.map(\.rawHash)
        if !leaves.isEmpty { leaves[0] = .zero }
        return Merkle.root(of: leaves)
    }

    /// The witness merkle root from the wtxids of the non-coinbase transactions (as a
    /// block template lists them); a zero leaf is put first for the coinbase.
    public static func witnessMerkleRoot(nonCoinbaseWtxids: [Wtxid]) -> Hash256 {
        var leaves: [Hash256] = []
        leaves.reserveCapacity(nonCoinbaseWtxids.count + 1)
        leaves.append(.zero)
        for w in nonCoinbaseWtxids { leaves.append(w.rawHash) }
        return Merkle.root(of: leaves)
    }

    /// `SHA256d(witnessRoot || reservedValue)`.
    public static func commitment(witnessRoot: Hash256, reservedValue: Hash256 = defaultReservedValue) -> Hash256 {
        SHA256d.hash(witnessRoot, reservedValue)
    }

    /// The coinbase output script `OP_RETURN 0x24 aa21a9ed <commitment>` (38 bytes).
    public static func outputScript(commitment: Hash256) -> Script {
        Script([Opcode.opReturn.rawValue, 0x24] + header + commitment.bytes)
    }

    /// The commitment in a script that starts with the commitment pattern (BIP141: at
    /// least 38 bytes beginning `6a24aa21a9ed`; later bytes are ignored), else nil.
    public static func commitment(in script: Script) -> Hash256? {
        let b = script.bytes
        guard b.count >= 38, b[0] == Opcode.opReturn.rawValue, b[1] == 0x24,
              b[2] == header[0], b[3] == header[1], b[4] == header[2], b[5] == header[3] else { return nil }
        return Hash256(bytes: b[6..<38])
    }

    /// The commitment of a coinbase transaction: from the last output matching the
    /// pattern, as Bitcoin Core's `GetWitnessCommitmentIndex` picks it.
    public static func commitment(inCoinbase coinbase: Transaction) -> Hash256? {
        for output in coinbase.outputs.reversed() {
            if let c = commitment(in: output.scriptPubKey) { return c }
        }
        return nil
    }
}
