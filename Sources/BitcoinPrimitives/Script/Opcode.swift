/// One script opcode byte, named as in Bitcoin Core's `opcodetype`.
///
/// Only the opcodes Tidepool builds or recognizes have names; any byte can be
/// wrapped with `init(rawValue:)`.
public struct Opcode: RawRepresentable, Sendable, Hashable {
    /// The opcode byte.
    public let rawValue: UInt8

    /// Wraps an opcode byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    // MARK: Pushes

    /// `OP_0` (`OP_FALSE`): pushes an empty byte vector.
    public static let op0 = Opcode(rawValue: 0x00)
    /// `OP_PUSHDATA1`: the next byte is the push length.
    public static let pushData1 = Opcode(rawValue: 0x4c)
    /// `OP_PUSHDATA2`: the next two bytes (little-endian) are the push length.
    public static let pushData2 = Opcode(rawValue: 0x4d)
    /// `OP_PUSHDATA4`: the next four bytes (little-endian) are the push length.
    public static let pushData4 = Opcode(rawValue: 0x4e)
    /// `OP_1NEGATE`: pushes the number -1.
    public static let op1Negate = Opcode(rawValue: 0x4f)
    /// `OP_1` (`OP_TRUE`).
    public static let op1 = Opcode(rawValue: 0x51)
    /// `OP_2`.
    public static let op2 = Opcode(rawValue: 0x52)
    /// `OP_3`.
    public static let op3 = Opcode(rawValue: 0x53)
    /// `OP_4`.
    public static let op4 = Opcode(rawValue: 0x54)
    /// `OP_5`.
    public static let op5 = Opcode(rawValue: 0x55)
    /// `OP_6`.
    public static let op6 = Opcode(rawValue: 0x56)
    /// `OP_7`.
    public static let op7 = Opcode(rawValue: 0x57)
    /// `OP_8`.
    public static let op8 = Opcode(rawValue: 0x58)
    /// `OP_9`.
    public static let op9 = Opcode(rawValue: 0x59)
    /// `OP_10`.
    public static let op10 = Opcode(rawValue: 0x5a)
    /// `OP_11`.
    public static let op11 = Opcode(rawValue: 0x5b)
    /// `OP_12`.
    public static let op12 = Opcode(rawValue: 0x5c)
    /// `OP_13`.
    public static let op13 = Opcode(rawValue: 0x5d)
    /// `OP_14`.
    public static let op14 = Opcode(rawValue: 0x5e)
    /// `OP_15`.
    public static let op15 = Opcode(rawValue: 0x5f)
    /// `OP_16`.
    public static let op16 = Opcode(rawValue: 0x60)

    // MARK: Control, stack, crypto

    /// `OP_NOP`.
    public static let nop = Opcode(rawValue: 0x61)
    /// `OP_VERIFY`.
    public static let verify = Opcode(rawValue: 0x69)
    /// `OP_RETURN`: marks an output provably unspendable (data carrier).
    public static let opReturn = Opcode(rawValue: 0x6a)
    /// `OP_DROP`.
    public static let drop = Opcode(rawValue: 0x75)
    /// `OP_DUP`.
    public static let dup = Opcode(rawValue: 0x76)
    /// `OP_EQUAL`.
    public static let equal = Opcode(rawValue: 0x87)
    /// `OP_EQUALVERIFY`.
    public static let equalVerify = Opcode(rawValue: 0x88)
    /// `OP_SHA256`.
    public static let sha256 = Opcode(rawValue: 0xa8)
    /// `OP_HASH160`: RIPEMD-160 of SHA-256.
    public static let hash160 = Opcode(rawValue: 0xa9)
    /// `OP_HASH256`: double SHA-256.
    public static let hash256 = Opcode(rawValue: 0xaa)
    /// `OP_CHECKSIG`.
    public static let checkSig = Opcode(rawValue: 0xac)
    /// `OP_CHECKSIGVERIFY`.
    public static let checkSigVerify = Opcode(rawValue: 0xad)
    /// `OP_CHECKMULTISIG`.
    public static let checkMultiSig = Opcode(rawValue: 0xae)
    /// `OP_CHECKLOCKTIMEVERIFY` (BIP65).
    public static let checkLockTimeVerify = Opcode(rawValue: 0xb1)
    /// `OP_CHECKSEQUENCEVERIFY` (BIP112).
    public static let checkSequenceVerify = Opcode(rawValue: 0xb2)
    /// `OP_CHECKSIGADD` (BIP342, tapscript only).
    public static let checkSigAdd = Opcode(rawValue: 0xba)

    // MARK: Small integers

    /// `OP_0` for 0 and `OP_1`…`OP_16` for 1…16 (Bitcoin Core `EncodeOP_N`).
    /// Traps outside `0...16`.
    public static func smallInteger(_ n: Int) -> Opcode {
        precondition((0...16).contains(n), "small integer opcodes encode 0...16")
        return n == 0 ? .op0 : Opcode(rawValue: 0x50 + UInt8(n))
    }

    /// The number `OP_0` or `OP_1`…`OP_16` pushes (Bitcoin Core `DecodeOP_N`), else nil.
    public var smallIntegerValue: Int? {
        if self == .op0 { return 0 }
        if rawValue >= Opcode.op1.rawValue && rawValue <= Opcode.op16.rawValue { return Int(rawValue - 0x50) }
        return nil
    }

    /// Whether Bitcoin Core's `IsPushOnly` accepts the opcode: every opcode up to `OP_16`
    /// (data pushes, `OP_1NEGATE`, `OP_1`…`OP_16`, and, as in Core, `OP_RESERVED`).
    public var isPushOnly: Bool { rawValue <= Opcode.op16.rawValue }
}

extension Opcode: CustomStringConvertible {
    /// `OP_N` for small integers, otherwise `0x..` hex.
    public var description: String {
        if let n = smallIntegerValue { return "OP_\(n)" }
        return "0x" + Hex.encode([rawValue])
    }
}
