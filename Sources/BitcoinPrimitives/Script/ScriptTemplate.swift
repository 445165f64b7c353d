/// The standard output script templates, recognized as Bitcoin Core's `Solver` does.
public enum ScriptTemplate: Sendable, Hashable {
    /// P2PK: `<33- or 65-byte public key> OP_CHECKSIG` (e.g. the genesis coinbase output).
    case payToPubKey(publicKey: [UInt8])
    /// P2PKH: `OP_DUP OP_HASH160 <hash> OP_EQUALVERIFY OP_CHECKSIG`.
    case payToPubKeyHash(hash: [UInt8])
    /// P2SH (BIP16): `OP_HASH160 <hash> OP_EQUAL`.
    case payToScriptHash(hash: [UInt8])
    /// P2WPKH (BIP141): witness version 0 with a 20-byte program.
    case payToWitnessPubKeyHash(hash: [UInt8])
    /// P2WSH (BIP141): witness version 0 with a 32-byte program.
    case payToWitnessScriptHash(hash: [UInt8])
    /// P2TR (BIP341): witness version 1 with a 32-byte program.
    case payToTaproot(outputKey: [UInt8])
    /// Any other witness version 1…16 with a 2…40 byte program (future soft forks,
    /// and e.g. pay-to-anchor `OP_1 <4e73>`).
    case payToWitnessUnknown(version: Int, program: [UInt8])
    /// `OP_RETURN` followed only by pushes; `pushes` holds each pushed value
    /// (`OP_1`…`OP_16` and `OP_1NEGATE` as their script-number bytes).
    case nullData(pushes: [[UInt8]])

    /// Classifies a script; nil for non-standard scripts (including version-0 witness
    /// programs that are neither 20 nor 32 bytes).
    public init?(_ script: Script) {
        let b = script.bytes
        if let (version, program) = script.witnessProgram {
            switch (version, program.count) {
            case (0, 20): self = .payToWitnessPubKeyHash(hash: program)
            case (0, 32): self = .payToWitnessScriptHash(hash: program)
            case (0, _): return nil
            case (1, 32): self = .payToTaproot(outputKey: program)
            default: self = .payToWitnessUnknown(version: version, program: program)
            }
            return
        }
        // BIP16 exact pattern.
        if b.count == 23 && b[0] == Opcode.hash160.rawValue && b[1] == 20 && b[22] == Opcode.equal.rawValue {
            self = .payToScriptHash(hash: Array(b[2..<22]))
            return
        }
        if b.count == 25 && b[0] == Opcode.dup.rawValue && b[1] == Opcode.hash160.rawValue && b[2] == 20
            && b[23] == Opcode.equalVerify.rawValue && b[24] == Opcode.checkSig.rawValue {
            self = .payToPubKeyHash(hash: Array(b[3..<23]))
            return
        }
        if let key = ScriptTemplate.payToPubKeyKey(b) {
            self = .payToPubKey(publicKey: key)
            return
        }
        if b.first == Opcode.opReturn.rawValue {
            guard let ops = Script(Array(b.dropFirst())).instructions,
                  ops.allSatisfy({ $0.opcode.isPushOnly }) else { return nil }
            self = .nullData(pushes: ops.map { op in
                switch op {
                case .push(_, let data): return data
                case .operation(let o):
                    if let n = o.smallIntegerValue { return ScriptNum.encode(Int64(n)) }
                    return o == .op1Negate ? [0x81] : []  // OP_RESERVED pushes nothing meaningful
                }
            })
            return
        }
        return nil
    }

    /// The public key of a P2PK script with a validly sized key (Core `CPubKey::ValidSize`).
    private static func payToPubKeyKey(_ b: [UInt8]) -> [UInt8]? {
        guard b.last == Opcode.checkSig.rawValue else { return nil }
        if b.count == 35 && b[0] == 33 && (b[1] == 0x02 || b[1] == 0x03) { return Array(b[1..<34]) }
        if b.count == 67 && b[0] == 65 && [0x04, 0x06, 0x07].contains(b[1]) { return Array(b[1..<66]) }
        return nil
    }

    /// Witness version and program of the segwit templates; nil for the others.
    public var witnessProgram: (version: Int, program: [UInt8])? {
        switch self {
        case .payToWitnessPubKeyHash(let h), .payToWitnessScriptHash(let h): return (0, h)
        case .payToTaproot(let k): return (1, k)
        case .payToWitnessUnknown(let v, let p): return (v, p)
        default: return nil
        }
    }

    /// The script this template describes, built with minimal pushes. Equal to the
    /// classified script for every template except `nullData`, whose pushes may have
    /// been encoded differently.
    public var script: Script {
        switch self {
        case .payToPubKey(let key):
            return Script([UInt8(key.count)] + key + [Opcode.checkSig.rawValue])
        case .payToPubKeyHash(let h): return .payToPubKeyHash(h)
        case .payToScriptHash(let h): return .payToScriptHash(h)
        case .payToWitnessPubKeyHash(let h): return .payToWitnessPubKeyHash(h)
        case .payToWitnessScriptHash(let h): return .payToWitnessScriptHash(h)
        case .payToTaproot(let k): return .payToTaproot(outputKey: k)
        case .payToWitnessUnknown(let v, let p):
            return Script([Opcode.smallInteger(v).rawValue, UInt8(p.count)] + p)
        case .nullData(let pushes):
            var s = Script([Opcode.opReturn.rawValue])
            for p in pushes { s.appendPush(p) }
            return s
        }
    }
}

extension Script {
    /// The standard template this script matches, or nil.
    public var template: ScriptTemplate? { ScriptTemplate(self) }

    /// The witness version and program when the script is a witness program (BIP141:
    /// 4…42 bytes, `OP_0` or `OP_1`…`OP_16`, then one direct push of 2…40 bytes that
    /// ends the script). Version-0 programs of any length are returned here.
    public var witnessProgram: (version: Int, program: [UInt8])? {
        let b = bytes
        guard (4...42).contains(b.count),
              let version = Opcode(rawValue: b[0]).smallIntegerValue,
              Int(b[1]) + 2 == b.count else { return nil }
        return (version, Array(b[2...]))
    }
}
