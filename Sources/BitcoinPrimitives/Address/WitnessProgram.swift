/// A segregated witness output program: a version 0–16 and a 2–40 byte program
/// (BIP141), as carried by a Bech32/Bech32m address (BIP173, BIP350).
///
/// Construction enforces BIP141's rules, including that version 0 programs
/// are 20 bytes (P2WPKH) or 32 bytes (P2WSH). Versions 1–16 with any length
/// 2–40 are valid recipients (BIP350 recommends wallets accept them); v1 with
/// 32 bytes is P2TR (BIP341).
public struct WitnessProgram: Sendable, Hashable {
    /// The witness version, 0...16.
    public let version: UInt8
    /// The witness program bytes, 2...40 of them.
    public let program: [UInt8]

    /// Validates and wraps a witness program.
    ///
    /// - Throws: `.invalidWitnessVersion`, `.invalidProgramLength` or `.invalidV0ProgramLength`.
    public init(version: UInt8, program: [UInt8]) throws(AddressError) {
        guard version <= 16 else { throw .invalidWitnessVersion(version) }
        guard (2...40).contains(program.count) else { throw .invalidProgramLength(program.count) }
        if version == 0 && program.count != 20 && program.count != 32 {
            throw .invalidV0ProgramLength(program.count)
        }
        self.version = version
        self.program = program
    }

    /// Wraps a program the caller has already validated.
    init(unchecked version: UInt8, _ program: [UInt8]) {
        self.version = version
        self.program = program
    }

    /// The checksum variant its address must use: Bech32 for v0, Bech32m for v1+ (BIP350).
    public var checksumVariant: Bech32.Variant { version == 0 ? .bech32 : .bech32m }

    /// The output script: `OP_n` (OP_0 = 0x00, OP_1…OP_16 = 0x51…0x60) and one direct push of the program.
    public var scriptPubKey: Script {
        Script([version == 0 ? 0x00 : 0x50 + version, UInt8(program.count)] + program)
    }

    /// Recognizes `OP_n <2–40 byte push>`; nil for any other script, and for
    /// v0 programs that are neither 20 nor 32 bytes.
    public init?(scriptPubKey: Script) {
        let b = scriptPubKey.bytes
        guard (4...42).contains(b.count), Int(b[1]) == b.count - 2 else { return nil }
        let version: UInt8
        switch b[0] {
        case 0x00: version = 0
        case 0x51...0x60: version = b[0] - 0x50
        default: return nil
        }
        guard let program = try? WitnessProgram(version: version, program: Array(b[2...])) else { return nil }
        self = program
    }

    /// The address text under a Bech32 HRP such as "bc" (BIP173/BIP350):
    /// the version as one 5-bit value, then the program regrouped 8→5 bits with zero padding.
    func encoded(hrp: String) -> String {
        var values: [UInt8] = [version]
        // 8→5 regrouping with padding cannot fail for bytes.
        values += (try? Bech32.convertBits(program, from: 8, to: 5, pad: true)) ?? []
        return Bech32.encodeUnchecked(hrp: Array(hrp.utf8), values: values, variant: checksumVariant)
    }

    /// Decodes a segwit address under any HRP, applying the rules of BIP173 as
    /// amended by BIP350, in the order of BIP350's reference decoder.
    ///
    /// - Returns: the lowercase HRP and the program. The caller checks the HRP.
    static func decode(_ text: String) throws(AddressError) -> (hrp: String, program: WitnessProgram) {
        let (hrp, values, variant) = try Bech32.decode(text)
        guard let version = values.first else { throw .missingWitnessVersion }
        guard version <= 16 else { throw .invalidWitnessVersion(version) }
        let bytes = try Bech32.convertBits(Array(values.dropFirst()), from: 5, to: 8, pad: false)
        let program = try WitnessProgram(version: version, program: bytes)
        guard variant == program.checksumVariant else {
            throw .wrongChecksumVariant(witnessVersion: version, found: variant)
        }
        return (hrp, program)
    }
}
