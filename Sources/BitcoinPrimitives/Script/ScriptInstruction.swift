/// One parsed script instruction.
public enum ScriptInstruction: Sendable, Hashable {
    /// A data push: `OP_0`, a direct push (0x01…0x4b) or `OP_PUSHDATA1/2/4`, with its data.
    case push(opcode: Opcode, data: [UInt8])
    /// Any other opcode, including `OP_1NEGATE` and `OP_1`…`OP_16`.
    case operation(Opcode)

    /// The opcode of the instruction.
    public var opcode: Opcode {
        switch self {
        case .push(let op, _): return op
        case .operation(let op): return op
        }
    }
}

extension Script {
    /// The script split into instructions (Bitcoin Core `GetScriptOp`), or nil when a
    /// push runs past the end of the script.
    public var instructions: [ScriptInstruction]? {
        var result: [ScriptInstruction] = []
        var i = 0
        let b = bytes
        while i < b.count {
            let op = Opcode(rawValue: b[i])
            i += 1
            guard op.rawValue <= Opcode.pushData4.rawValue else {
                result.append(.operation(op))
                continue
            }
            var length = Int(op.rawValue)
            var lengthBytes = 0
            if op == .pushData1 { lengthBytes = 1 } else if op == .pushData2 { lengthBytes = 2 } else if op == .pushData4 { lengthBytes = 4 }
            if lengthBytes > 0 {
                guard b.count - i >= lengthBytes else { return nil }
                length = 0
                for k in 0..<lengthBytes { length |= Int(b[i + k]) << (8 * k) }
                i += lengthBytes
            }
            guard b.count - i >= length else { return nil }
            result.append(.push(opcode: op, data: Array(b[i..<i + length])))
            i += length
        }
        return result
    }

    /// Whether every instruction is a push (Bitcoin Core `IsPushOnly`); false when malformed.
    public var isPushOnly: Bool {
        guard let ops = instructions else { return false }
        return ops.allSatisfy { $0.opcode.isPushOnly }
    }
}
