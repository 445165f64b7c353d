import Testing
@testable import BitcoinPrimitives

private struct ScriptVectors: Decodable {
    struct Num: Decodable { let value: Int64; let hex: String }
    struct Height: Decodable { let height: Int; let script: String }
    let scriptNum: [Num]
    let nonMinimalScriptNum: [String]
    let bip34: [Height]
}

@Suite struct ScriptNumTests {
    @Test func encodeAndDecode() throws {
        let v: ScriptVectors = try Vectors.load("script")
        for c in v.scriptNum {
            #expect(Hex.encode(ScriptNum.encode(c.value)) == c.hex, "\(c.value)")
            #expect(try ScriptNum.decode(bytes(c.hex), maxSize: 8) == c.value, "\(c.value)")
        }
        #expect(ScriptNum.encode(.min) == bytes("000000000000008080"))
    }

    @Test func nonMinimalRejected() throws {
        let v: ScriptVectors = try Vectors.load("script")
        for hex in v.nonMinimalScriptNum {
            #expect(throws: ScriptNum.DecodeError.nonMinimal, "\(hex)") { try ScriptNum.decode(bytes(hex)) }
            // Accepted when minimal encoding is not required.
            _ = try ScriptNum.decode(bytes(hex), requireMinimal: false)
        }
        #expect(try ScriptNum.decode(bytes("80"), requireMinimal: false) == 0)  // negative zero
        #expect(throws: ScriptNum.DecodeError.tooLong(count: 5, maxSize: 4)) { try ScriptNum.decode(bytes("0000008000")) }
    }
}

@Suite struct ScriptBuildingTests {
    @Test func minimalPushes() {
        func push(_ data: [UInt8]) -> String { Script().appendingPush(data).hex }
        #expect(push([]) == "00")
        for n in 1...16 { #expect(push([UInt8(n)]) == Hex.encode([0x50 + UInt8(n)])) }
        #expect(push([0x81]) == "4f")
        #expect(push([0x00]) == "0100")
        #expect(push([0x11]) == "0111")
        #expect(push([0x80]) == "0180")
        #expect(push([UInt8](repeating: 0xab, count: 75)) == "4b" + String(repeating: "ab", count: 75))
        #expect(push([UInt8](repeating: 0xab, count: 76)) == "4c4c" + String(repeating: "ab", count: 76))
        #expect(push([UInt8](repeating: 0xab, count: 255)).hasPrefix("4cff"))
        #expect(push([UInt8](repeating: 0xab, count: 256)).hasPrefix("4d0001"))
        #expect(push([UInt8](repeating: 0xab, count: 65535)).hasPrefix("4dffff"))
        let big = Script().appendingPush([UInt8](repeating: 0, count: 65536))
        #expect(Array(big.bytes.prefix(5)) == [0x4e, 0x00, 0x00, 0x01, 0x00])
        #expect(big.bytes.count == 65541)
    }

    @Test func nonMinimalPushKeepsSingleBytes() {
        var s = Script()
        s.appendNonMinimalPush([0x05])
        #expect(s.hex == "0105")
    }

    @Test func numbers() {
        func num(_ v: Int64) -> String { Script().appendingNumber(v).hex }
        #expect(num(0) == "00")
        #expect(num(-1) == "4f")
        #expect(num(1) == "51")
        #expect(num(16) == "60")
        #expect(num(17) == "0111")
        #expect(num(-2) == "0182")
        #expect(num(128) == "028000")
        #expect(num(.max) == "08ffffffffffffff7f")
    }

    /// BIP34 height prefixes as `CScript() << nHeight` makes them.
    @Test func coinbaseHeights() throws {
        let v: ScriptVectors = try Vectors.load("script")
        for c in v.bip34 {
            let s = Script.coinbaseHeight(c.height)
            #expect(s.hex == c.script, "height \(c.height)")
            #expect(s.coinbaseHeight == c.height)
            #expect(Script(s.bytes + [0xde, 0xad]).startsWithCoinbaseHeight(c.height))
            #expect(!Script(s.bytes + [0xde, 0xad]).startsWithCoinbaseHeight(c.height + 1))
        }
        // Non-minimal or small-number-as-push forms are not Core's BIP34 form.
        #expect(Script(bytes("0101")).coinbaseHeight == nil)
        #expect(Script(bytes("021100")).coinbaseHeight == nil)
        #expect(Script(bytes("03a086")).coinbaseHeight == nil)
        #expect(Script().coinbaseHeight == nil)
    }

    @Test func instructions() throws {
        let s = Script(bytes("0051" + "4c0201ff" + "4d0100aa" + "4e01000000bb" + "0203"))
        #expect(s.instructions == nil)  // the last push runs past the end
        let ok = Script(bytes("0051" + "4c0201ff" + "4d0100aa" + "4e01000000bb" + "76a9"))
        let ops = try #require(ok.instructions)
        #expect(ops == [
            .push(opcode: .op0, data: []), .operation(.op1),
            .push(opcode: .pushData1, data: [0x01, 0xff]), .push(opcode: .pushData2, data: [0xaa]),
            .push(opcode: .pushData4, data: [0xbb]), .operation(.dup), .operation(.hash160),
        ])
        #expect(!ok.isPushOnly)
        #expect(Script(bytes("00514f0101")).isPushOnly)
        #expect(!Script(bytes("4c")).isPushOnly)
    }
}

@Suite struct ScriptTemplateTests {
    static let hash20 = [UInt8](0..<20)
    static let hash32 = [UInt8](100..<132)

    @Test func builders() {
        #expect(Script.payToPubKeyHash(Self.hash20).hex == "76a914" + Hex.encode(Self.hash20) + "88ac")
        #expect(Script.payToScriptHash(Self.hash20).hex == "a914" + Hex.encode(Self.hash20) + "87")
        #expect(Script.payToWitnessPubKeyHash(Self.hash20).hex == "0014" + Hex.encode(Self.hash20))
        #expect(Script.payToWitnessScriptHash(Self.hash32).hex == "0020" + Hex.encode(Self.hash32))
        #expect(Script.payToTaproot(outputKey: Self.hash32).hex == "5120" + Hex.encode(Self.hash32))
        #expect(Script.payToWitness(version: 0, program: Self.hash20) == .payToWitnessPubKeyHash(Self.hash20))
        #expect(Script.payToWitness(version: 1, program: Self.hash32) == .payToTaproot(outputKey: Self.hash32))
        #expect(Script.payToWitness(version: 16, program: [1, 2])?.hex == "60020102")
        #expect(Script.payToWitness(version: 0, program: [UInt8](repeating: 0, count: 21)) == nil)
        #expect(Script.payToWitness(version: 17, program: Self.hash20) == nil)
        #expect(Script.payToWitness(version: 2, program: [1]) == nil)
        #expect(Script.payToWitness(version: 2, program: [UInt8](repeating: 0, count: 41)) == nil)
        #expect(Script.nullData(bytes("deadbeef")).hex == "6a04deadbeef")
        #expect(Script.nullData([]).hex == "6a00")
    }

    /// Real scriptPubKeys: genesis P2PK, BIP173's P2WPKH/P2WSH examples, BIP350's P2TR example.
    @Test func classifiesRealScripts() throws {
        let genesisKey = "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f"
        #expect(Script(hex: "41" + genesisKey + "ac")?.template == .payToPubKey(publicKey: bytes(genesisKey)))
        let p2wpkh = try #require(Script(hex: "0014751e76e8199196d454941c45d1b3a323f1433bd6"))
        #expect(p2wpkh.template == .payToWitnessPubKeyHash(hash: bytes("751e76e8199196d454941c45d1b3a323f1433bd6")))
        let p2wsh = try #require(Script(hex: "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"))
        #expect(p2wsh.template?.witnessProgram?.version == 0)
        #expect(p2wsh.template?.witnessProgram?.program.count == 32)
        let p2tr = try #require(Script(hex: "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"))
        #expect(p2tr.template == .payToTaproot(outputKey: bytes("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")))
        let p2pkh = try #require(Script(hex: "76a914ef79e7ee9fff98bcfd08473d2b76b02a48f8c69088ac"))
        #expect(p2pkh.template == .payToPubKeyHash(hash: bytes("ef79e7ee9fff98bcfd08473d2b76b02a48f8c690")))
        let p2sh = try #require(Script(hex: "a9140f3444e271620c736808aa7b33e370bd87cb5a0787"))
        #expect(p2sh.template == .payToScriptHash(hash: bytes("0f3444e271620c736808aa7b33e370bd87cb5a07")))
        let anchor = try #require(Script(hex: "51024e73"))
        #expect(anchor.template == .payToWitnessUnknown(version: 1, program: [0x4e, 0x73]))
    }

    @Test func templatesRoundTrip() {
        let scripts: [Script] = [
            .payToPubKeyHash(Self.hash20), .payToScriptHash(Self.hash20),
            .payToWitnessPubKeyHash(Self.hash20), .payToWitnessScriptHash(Self.hash32),
            .payToTaproot(outputKey: Self.hash32), .payToWitness(version: 5, program: [9, 9, 9])!,
            .nullData(bytes("cafe")), WitnessCommitment.outputScript(commitment: .zero),
        ]
        for s in scripts {
            let t = ScriptTemplate(s)
            #expect(t != nil, "\(s)")
            #expect(t?.script == s, "\(s)")
        }
    }

    @Test func nullDataPushes() {
        #expect(Script(bytes("6a")).template == .nullData(pushes: []))
        #expect(Script(bytes("6a0102" + "52" + "4f")).template == .nullData(pushes: [[0x02], [0x02], [0x81]]))
        #expect(Script(bytes("6a76")).template == nil)      // OP_DUP is not a push
        #expect(Script(bytes("6a05aa")).template == nil)    // malformed push
    }

    @Test func nonStandardScripts() {
        #expect(Script().template == nil)
        #expect(Script(bytes("0015" + String(repeating: "00", count: 21))).template == nil)  // v0, 21 bytes
        #expect(Script(bytes("0014" + String(repeating: "00", count: 20))).witnessProgram?.version == 0)
        #expect(Script(bytes("0101")).witnessProgram == nil)           // too short
        #expect(Script(bytes("5101ff")).witnessProgram == nil)         // 1-byte program
        #expect(Script(bytes("4f02aaaa")).witnessProgram == nil)       // OP_1NEGATE is not a version
        #expect(Script(bytes("a914" + String(repeating: "00", count: 20) + "88")).template == nil)
        #expect(Script(bytes("21" + "04" + String(repeating: "00", count: 32) + "ac")).template == nil)  // bad key prefix
    }
}
