/// The block height that BIP34 requires at the start of a coinbase scriptSig.
extension Script {
    /// The BIP34 height prefix, exactly as Bitcoin Core builds it with `CScript() << nHeight`:
    /// `OP_0` for 0, `OP_1`…`OP_16` for 1…16 (regtest's low heights need this form),
    /// otherwise the minimal `CScriptNum` push (e.g. 17 → `01 11`, 840000 → `03 40 d1 0c`).
    /// Traps on a negative height.
    public static func coinbaseHeight(_ height: Int) -> Script {
        precondition(height >= 0, "block heights are non-negative")
        var s = Script()
        s.appendNumber(Int64(height))
        return s
    }

    /// Whether the script begins with the BIP34 prefix for `height` (Core's check:
    /// the scriptSig must start with exactly `CScript() << nHeight`).
    public func startsWithCoinbaseHeight(_ height: Int) -> Bool {
        bytes.starts(with: Script.coinbaseHeight(height).bytes)
    }

    /// The height encoded by the script's first instruction when it is a BIP34 height
    /// in Core's form (`OP_0`, `OP_1`…`OP_16`, or a minimal number push of up to 8
    /// bytes that is not a small number); nil otherwise.
    public var coinbaseHeight: Int? {
        guard let first = bytes.first else { return nil }
        let op = Opcode(rawValue: first)
        if let n = op.smallIntegerValue { return n }
        guard (1...8).contains(first), bytes.count > Int(first) else { return nil }
        guard let value = try? ScriptNum.decode(bytes[1...Int(first)], maxSize: 8),
              value > 16 else { return nil }
        return Int(value)
    }
}
