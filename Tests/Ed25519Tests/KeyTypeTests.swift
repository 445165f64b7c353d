import Ed25519
import Testing

@Suite struct KeyTypeTests {
    @Test func rawRepresentationLengthsAreChecked() {
        for count in [0, 31, 33, 64] {
            #expect(PublicKey(rawRepresentation: [UInt8](repeating: 1, count: count)) == nil)
            #expect(SigningKey(rawRepresentation: [UInt8](repeating: 1, count: count)) == nil)
        }
        for count in [0, 63, 65, 32] {
            #expect(Signature(rawRepresentation: [UInt8](repeating: 1, count: count)) == nil)
        }
        #expect(PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 32)) != nil)
        #expect(SigningKey(rawRepresentation: [UInt8](repeating: 1, count: 32)) != nil)
        #expect(Signature(rawRepresentation: [UInt8](repeating: 1, count: 64)) != nil)
    }

    @Test func hexParsing() throws {
        let hex = RFC8032Vector.all[0].publicKey
        let key = try #require(PublicKey(hex: hex.uppercased()))
        #expect(key.hex == hex)
        #expect(key.description == hex)
        #expect(PublicKey(hex: String(hex.dropLast())) == nil)
        #expect(PublicKey(hex: "zz" + hex.dropFirst(2)) == nil)
        #expect(Signature(hex: RFC8032Vector.all[0].signature)?.hex == RFC8032Vector.all[0].signature)
    }

    @Test func generatedKeysSignAndVerify() {
        let first = SigningKey.generate(), second = SigningKey.generate()
        #expect(first != second)
        #expect(first.publicKey != second.publicKey)
        let message = Array("share header".utf8)
        let signature = first.sign(message)
        #expect(first.publicKey.isValidSignature(signature, for: message))
        #expect(!second.publicKey.isValidSignature(signature, for: message))
        #expect(first.sign(message) == signature, "Ed25519 signing is deterministic")
    }

    @Test func keyFromSameSeedIsEqual() throws {
        let key = SigningKey.generate()
        let copy = try #require(SigningKey(rawRepresentation: key.rawRepresentation))
        #expect(copy == key)
        #expect(copy.publicKey == key.publicKey)
    }

    @Test func descriptionNamesOnlyThePublicKey() {
        let key = SigningKey.generate()
        #expect("\(key)" == "SigningKey(publicKey: \(key.publicKey.hex))")
    }

    @Test func publicKeysAreHashable() {
        let keys = Set((0..<3).map { _ in SigningKey.generate().publicKey })
        #expect(keys.count == 3)
    }
}
