/// Appending opcodes, data pushes and numbers.
extension Script {
    /// Appends one opcode.
    public mutating func append(_ opcode: Opcode) { bytes.append(opcode.rawValue) }

    /// Appends `data` as the minimal push (Bitcoin Core `CheckMinimalPush`, BIP62 rule 3):
    /// empty → `OP_0`; one byte 1…16 → `OP_1`…`OP_16`; the byte 0x81 → `OP_1NEGATE`;
    /// up to 75 bytes → direct push; then `OP_PUSHDATA1`, `OP_PUSHDATA2`, `OP_PUSHDATA4`.
    public mutating func appendPush(_ data: some Collection<UInt8>) {
        let count = data.count
        if count == 0 { append(.op0); return }
        if count == 1, let byte = data.first {
            if (1...16).contains(byte) { append(.smallInteger(Int(byte))); return }
            if byte == 0x81 { append(.op1Negate); return }
        }
        appendNonMinimalPush(data)
    }

    /// Appends `data` with a length opcode only (no `OP_N` substitution), as Bitcoin
    /// Core's `CScript << std::vector` does: direct push up to 75 bytes, then
    /// `OP_PUSHDATA1/2/4`. The empty vector is `OP_0` either way.
    public mutating func appendNonMinimalPush(_ data: some Collection<UInt8>) {
        let count = data.count
        switch count {
        case 0..<Int(Opcode.pushData1.rawValue):
            bytes.append(UInt8(count))
        case 0..<0x100:
            append(.pushData1)
            bytes.append(UInt8(count))
        case 0..<0x1_0000:
            append(.pushData2)
            withUnsafeBytes(of: UInt16(count).littleEndian) { bytes.append(contentsOf: $0) }
        default:
            precondition(count <= Int(UInt32.max), "push too large")
            append(.pushData4)
            withUnsafeBytes(of: UInt32(count).littleEndian) { bytes.append(contentsOf: $0) }
        }
        bytes.append(contentsOf: data)
    }

    /// Appends a number as Bitcoin Core's `CScript << int64_t` does: `OP_0` for 0,
    /// `OP_1NEGATE` for -1, `OP_1`…`OP_16` for 1…16, otherwise a push of its
    /// minimal `CScriptNum` encoding.
    public mutating func appendNumber(_ value: Int64) {
        if value == 0 { append(.op0) }
        else if value == -1 { append(.op1Negate) }
        else if (1...16).contains(value) { append(.smallInteger(Int(value))) }
        else { appendNonMinimalPush(ScriptNum.encode(value)) }
    }

    /// A copy with `opcode` appended.
    public func appending(_ opcode: Opcode) -> Script {
        var s = self
        s.append(opcode)
        return s
    }

    /// A copy with the minimal push of `data` appended.
    public func appendingPush(_ data: some Collection<UInt8>) -> Script {
        var s = self
        s.appendPush(data)
        return s
    }

    /// A copy with `value` appended as `appendNumber` does.
    public func appendingNumber(_ value: Int64) -> Script {
        var s = self
        s.appendNumber(value)
        return s
    }
}
