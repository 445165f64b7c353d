// Conversion between addresses and their standard output scripts.

extension Address {
    /// The output script this address pays to.
    ///
    /// - P2PKH: `76 a9 14 <20 bytes> 88 ac`
    /// - P2SH: `a9 14 <20 bytes> 87`
    /// - Witness: `OP_n <push program>`, OP_0 = 0x00, OP_1…OP_16 = 0x51…0x60 (BIP141).
    public var scriptPubKey: Script {
        switch self {
        case .p2pkh(let hash): return Script([0x76, 0xa9, 0x14] + hash.bytes + [0x88, 0xac])
        case .p2sh(let hash): return Script([0xa9, 0x14] + hash.bytes + [0x87])
        case .witness(let program): return program.scriptPubKey
        }
    }

    /// Recognizes a standard script that has an address form: P2PKH, P2SH, or
    /// a witness program (v0 of 20 or 32 bytes, v1–16 of 2–40 bytes).
    /// Returns nil for anything else (P2PK, bare multisig, OP_RETURN, …).
    public init?(scriptPubKey: Script) {
        let b = scriptPubKey.bytes
        if b.count == 25, b[0] == 0x76, b[1] == 0xa9, b[2] == 0x14, b[23] == 0x88, b[24] == 0xac,
           let hash = Hash160(bytes: b[3..<23]) {
            self = .p2pkh(hash)
        } else if b.count == 23, b[0] == 0xa9, b[1] == 0x14, b[22] == 0x87, let hash = Hash160(bytes: b[2..<22]) {
            self = .p2sh(hash)
        } else if let program = WitnessProgram(scriptPubKey: scriptPubKey) {
            self = .witness(program)
        } else {
            return nil
        }
    }
}
