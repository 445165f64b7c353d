import Ed25519
import Testing

/// RFC 8032 section 7.1 test vectors for Ed25519: secret key (seed), public key, message,
/// signature, all hex.
struct RFC8032Vector: Sendable, CustomTestStringConvertible {
    let name: String
    let seed: String
    let publicKey: String
    let message: String
    let signature: String

    var testDescription: String { name }

    static let all: [RFC8032Vector] = [
        RFC8032Vector(
            name: "TEST 1",
            seed: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            message: "",
            signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        RFC8032Vector(
            name: "TEST 2",
            seed: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            message: "72",
            signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        RFC8032Vector(
            name: "TEST 3",
            seed: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            message: "af82",
            signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
        RFC8032Vector(
            name: "TEST SHA(abc)",
            seed: "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
            publicKey: "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
            message: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            signature: "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
                + "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"),
    ]
}

/// Decodes test hex; traps on malformed input (the vectors are constants).
func bytes(_ hex: String) -> [UInt8] {
    let utf8 = Array(hex.utf8)
    precondition(utf8.count % 2 == 0)
    return stride(from: 0, to: utf8.count, by: 2).map { UInt8(String(decoding: utf8[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

@Suite struct RFC8032Tests {
    @Test(arguments: RFC8032Vector.all)
    func seedDerivesPublicKeyAndSignature(_ vector: RFC8032Vector) throws {
        let key = try #require(SigningKey(rawRepresentation: bytes(vector.seed)))
        #expect(key.publicKey.hex == vector.publicKey)
        #expect(key.rawRepresentation == bytes(vector.seed))
        let signature = key.sign(bytes(vector.message))
        #expect(signature.hex == vector.signature)
    }

    @Test(arguments: RFC8032Vector.all)
    func publishedSignatureVerifies(_ vector: RFC8032Vector) throws {
        let publicKey = try #require(PublicKey(hex: vector.publicKey))
        let signature = try #require(Signature(hex: vector.signature))
        #expect(publicKey.isValidSignature(signature, for: bytes(vector.message)))
    }

    @Test(arguments: RFC8032Vector.all)
    func flippedMessageBitFails(_ vector: RFC8032Vector) throws {
        let publicKey = try #require(PublicKey(hex: vector.publicKey))
        let signature = try #require(Signature(hex: vector.signature))
        let message = bytes(vector.message)
        #expect(!publicKey.isValidSignature(signature, for: message + [0]))
        for index in message.indices {
            for bit in 0..<8 {
                var altered = message
                altered[index] ^= 1 << bit
                #expect(!publicKey.isValidSignature(signature, for: altered), "byte \(index) bit \(bit)")
            }
        }
        if !message.isEmpty {
            #expect(!publicKey.isValidSignature(signature, for: Array(message.dropLast())))
        }
    }

    @Test(arguments: RFC8032Vector.all)
    func flippedSignatureBitFails(_ vector: RFC8032Vector) throws {
        let publicKey = try #require(PublicKey(hex: vector.publicKey))
        let signature = bytes(vector.signature)
        for index in signature.indices {
            for bit in [0, 3, 7] {
                var altered = signature
                altered[index] ^= 1 << bit
                let flipped = try #require(Signature(rawRepresentation: altered))
                #expect(!publicKey.isValidSignature(flipped, for: bytes(vector.message)), "byte \(index) bit \(bit)")
            }
        }
    }

    @Test(arguments: RFC8032Vector.all)
    func flippedPublicKeyBitFails(_ vector: RFC8032Vector) throws {
        let signature = try #require(Signature(hex: vector.signature))
        let key = bytes(vector.publicKey)
        for index in key.indices {
            for bit in [0, 5, 7] {
                var altered = key
                altered[index] ^= 1 << bit
                let flipped = try #require(PublicKey(rawRepresentation: altered))
                #expect(!flipped.isValidSignature(signature, for: bytes(vector.message)), "byte \(index) bit \(bit)")
            }
        }
    }

    @Test func anotherKeysSignatureFails() throws {
        let first = RFC8032Vector.all[0], second = RFC8032Vector.all[1]
        let signature = try #require(Signature(hex: first.signature))
        let otherKey = try #require(PublicKey(hex: second.publicKey))
        #expect(!otherKey.isValidSignature(signature, for: bytes(first.message)))
    }
}
