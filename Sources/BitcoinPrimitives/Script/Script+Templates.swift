/// Builders for the standard output script templates.
extension Script {
    /// P2PKH: `OP_DUP OP_HASH160 <20-byte hash> OP_EQUALVERIFY OP_CHECKSIG`.
    /// Traps unless `hash20` is 20 bytes.
    public static func payToPubKeyHash(_ hash20: [UInt8]) -> Script {
        precondition(hash20.count == 20, "P2PKH needs a 20-byte hash")
        return Script([Opcode.dup.rawValue, Opcode.hash160.rawValue, 20] + hash20
                      + [Opcode.equalVerify.rawValue, Opcode.checkSig.rawValue])
    }

    /// P2SH (BIP16): `OP_HASH160 <20-byte hash> OP_EQUAL`. Traps unless `hash20` is 20 bytes.
    public static func payToScriptHash(_ hash20: [UInt8]) -> Script {
        precondition(hash20.count == 20, "P2SH needs a 20-byte hash")
        return Script([Opcode.hash160.rawValue, 20] + hash20 + [Opcode.equal.rawValue])
    }

    /// A segwit output (BIP141): `OP_n <program>`, or nil unless the version is 0…16,
    /// the program is 2…40 bytes, and a version-0 program is 20 or 32 bytes.
    public static func payToWitness(version: Int, program: [UInt8]) -> Script? {
        guard (0...16).contains(version), (2...40).contains(program.count) else { return nil }
        if version == 0 && program.count != 20 && program.count != 32 { return nil }
        return Script([Opcode.smallInteger(version).rawValue, UInt8(program.count)] + program)
    }

    /// P2WPKH (BIP141): `OP_0 <20-byte key hash>`. Traps unless `hash20` is 20 bytes.
    public static func payToWitnessPubKeyHash(_ hash20: [UInt8]) -> Script {
        precondition(hash20.count == 20, "P2WPKH needs a 20-byte hash")
        return Script([0x00, 20] + hash20)
    }

    /// P2WSH (BIP141): `OP_0 <32-byte SHA-256 of the witness script>`. Traps unless 32 bytes.
    public static func payToWitnessScriptHash(_ hash32: [UInt8]) -> Script {
        precondition(hash32.count == 32, "P2WSH needs a 32-byte hash")
        return Script([0x00, 32] + hash32)
    }

    /// P2TR (BIP341): `OP_1 <32-byte x-only output key>`. Traps unless 32 bytes.
    public static func payToTaproot(outputKey: [UInt8]) -> Script {
        precondition(outputKey.count == 32, "P2TR needs a 32-byte x-only key")
        return Script([Opcode.op1.rawValue, 32] + outputKey)
    }

    /// A data-carrier output: `OP_RETURN` followed by the minimal push of `data`.
    public static func nullData(_ data: [UInt8]) -> Script {
        var s = Script([Opcode.opReturn.rawValue])
        s.appendPush(data)
        return s
    }
}
