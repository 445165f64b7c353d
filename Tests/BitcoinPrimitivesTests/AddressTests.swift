import BitcoinPrimitives
import Testing

/// Decodes `text` expecting failure and returns the error (nil if it decoded).
private func failure<T>(_ body: () throws(AddressError) -> T) -> AddressError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

@Suite("Bech32 and Bech32m strings (BIP173, BIP350)")
struct Bech32Tests {
    @Test func validChecksums() throws {
        let file = try AddressVectors.load("bech32", as: AddressVectors.Bech32File.self)
        #expect(file.valid.count == 14)
        for vector in file.valid {
            let decoded = try Bech32.decode(vector.string)
            let variant: Bech32.Variant = vector.variant == "bech32" ? .bech32 : .bech32m
            #expect(decoded.variant == variant, "\(vector.string)")
            // Re-encoding gives the lowercase form back.
            let again = try Bech32.encode(hrp: decoded.hrp, values: decoded.values, variant: variant)
            #expect(again == vector.string.lowercased())
            // The other variant's checksum over the same data differs.
            let other: Bech32.Variant = variant == .bech32 ? .bech32m : .bech32
            #expect(try Bech32.encode(hrp: decoded.hrp, values: decoded.values, variant: other) != again)
        }
    }

    @Test func invalidStrings() throws {
        let file = try AddressVectors.load("bech32", as: AddressVectors.Bech32File.self)
        #expect(file.invalid.count == 26)
        for vector in file.invalid {
            let expected = try #require(vector.error.error(for: vector.string), "unknown kind \(vector.error.kind)")
            let actual = failure { () throws(AddressError) in try Bech32.decode(vector.string) }
            #expect(actual == expected, "\(vector.source): \(vector.reason): \(vector.string.debugDescription)")
        }
    }

    @Test func exactly90CharactersIsAllowed() throws {
        let hrp = String(repeating: "a", count: 83)
        let text = try Bech32.encode(hrp: hrp, values: [], variant: .bech32m)
        #expect(text.count == 90)
        #expect(try Bech32.decode(text).hrp == hrp)
        #expect(failure { () throws(AddressError) in try Bech32.encode(hrp: hrp + "a", values: [], variant: .bech32) }
            == .tooLong(length: 91, limit: 90))
    }

    @Test func encodeRejectsBadInput() {
        #expect(failure { () throws(AddressError) in try Bech32.encode(hrp: "", values: [0], variant: .bech32) } == .emptyHRP)
        #expect(failure { () throws(AddressError) in try Bech32.encode(hrp: "b c", values: [0], variant: .bech32) }
            == .invalidCharacter(" ", position: 1))
        #expect(failure { () throws(AddressError) in try Bech32.encode(hrp: "bc", values: [0, 32], variant: .bech32) }
            == .valueOutOfRange(value: 32, bits: 5))
    }

    @Test func encodeLowercasesHRP() throws {
        #expect(try Bech32.encode(hrp: "A", values: [], variant: .bech32) == "a12uel5l")
    }

    @Test func convertBits() throws {
        let bytes: [UInt8] = [0x00, 0xff, 0x10, 0x80, 0x7f]
        let fives = try Bech32.convertBits(bytes, from: 8, to: 5, pad: true)
        #expect(fives.count == 8)
        #expect(fives.allSatisfy { $0 < 32 })
        #expect(try Bech32.convertBits(fives, from: 5, to: 8, pad: false) == bytes)
        #expect(failure { () throws(AddressError) in try Bech32.convertBits([32], from: 5, to: 8, pad: true) }
            == .valueOutOfRange(value: 32, bits: 5))
        // One byte gives two 5-bit groups with 2 padding bits; 1 must be zero.
        #expect(failure { () throws(AddressError) in try Bech32.convertBits([0, 1], from: 5, to: 8, pad: false) }
            == .nonZeroPadding)
        // A lone 5-bit group is 5 bits of padding: more than 4.
        #expect(failure { () throws(AddressError) in try Bech32.convertBits([0], from: 5, to: 8, pad: false) }
            == .excessPadding(bits: 5))
    }
}

@Suite("Base58 and Base58Check")
struct Base58Tests {
    @Test func encodeDecodePairs() throws {
        let file = try AddressVectors.load("base58_addresses", as: AddressVectors.Base58File.self)
        #expect(file.encodeDecode.count == 12)
        for pair in file.encodeDecode {
            let bytes = try #require(Hex.decode(pair.hex))
            #expect(Base58.encode(bytes) == pair.base58)
            #expect(try Base58.decode(pair.base58) == bytes)
        }
    }

    @Test func checkRoundTripAndErrors() throws {
        let payload: [UInt8] = [0x00] + (0..<20).map { UInt8($0) }
        let text = Base58Check.encode(payload)
        #expect(try Base58Check.decode(text) == payload)
        #expect(failure { () throws(AddressError) in try Base58Check.decode("") } == .empty)
        #expect(failure { () throws(AddressError) in try Base58Check.decode("11") } == .checksumTooShort)
        #expect(failure { () throws(AddressError) in try Base58.decode("abc0") } == .invalidCharacter("0", position: 3))
    }
}

@Suite("Addresses")
struct AddressTests {
    @Test func validSegwitAddresses() throws {
        let file = try AddressVectors.load("segwit_addresses", as: AddressVectors.SegwitFile.self)
        #expect(file.valid.count == 12)
        try checkValid(file.valid)
    }

    @Test func invalidSegwitAddresses() throws {
        let file = try AddressVectors.load("segwit_addresses", as: AddressVectors.SegwitFile.self)
        #expect(file.invalid.count == 28)
        try checkInvalid(file.invalid)
    }

    @Test func validBase58Addresses() throws {
        let file = try AddressVectors.load("base58_addresses", as: AddressVectors.Base58File.self)
        #expect(file.valid.count == 7)
        try checkValid(file.valid)
    }

    @Test func invalidBase58Addresses() throws {
        let file = try AddressVectors.load("base58_addresses", as: AddressVectors.Base58File.self)
        #expect(file.invalid.count == 14)
        try checkInvalid(file.invalid)
    }

    @Test func wrongNetwork() throws {
        let file = try AddressVectors.load("wrong_network", as: AddressVectors.WrongNetworkFile.self)
        #expect(file.cases.count == 9)
        for c in file.cases {
            let network = try #require(BitcoinNetwork(rawValue: c.network))
            let actual = AddressVectors.networks(c.actualNetworks)
            #expect(failure { () throws(AddressError) in try Address(c.address, network: network) }
                == .wrongNetwork(expected: network, actual: actual), "\(c.address)")
        }
    }

    @Test func knownAddresses() throws {
        let p2pkh = try Address("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", network: .mainnet)
        #expect(p2pkh.scriptPubKey.hex == "76a91477bff20c60e522dfaa3350c39b030a5d004e839a88ac")
        #expect(p2pkh == .p2pkh(try #require(Hash160(hex: "77bff20c60e522dfaa3350c39b030a5d004e839a"))))
        #expect(p2pkh.encoded(for: .regtest) == "mrS8eVKXguwufwvsVe9GtgGb7fif9UQeAu")

        let p2sh = try Address("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", network: .mainnet)
        #expect(p2sh.scriptPubKey.hex == "a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87")
        #expect(p2sh.encoded(for: .signet) == "2N9hLwkSqr1cPQAPxbrGVUjxyjD11G2e1he")

        let keyHash = try #require(Hash160(hex: "751e76e8199196d454941c45d1b3a323f1433bd6"))
        let p2wpkh = Address.p2wpkh(keyHash)
        #expect(p2wpkh.encoded(for: .mainnet) == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
        #expect(p2wpkh.encoded(for: .regtest) == "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080")
        #expect(p2wpkh.description == "p2wpkh(751e76e8199196d454941c45d1b3a323f1433bd6)")

        let key = try #require(Hex.decode("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"))
        let p2tr = try #require(Address.p2tr(key))
        #expect(p2tr.encoded(for: .mainnet) == "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")
        #expect(p2tr.description == "p2tr(\(Hex.encode(key)))")

        let scriptHash = try #require(Hex.decode("1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"))
        let p2wsh = try #require(Address.p2wsh(scriptHash))
        #expect(p2wsh.encoded(for: .testnet4) == "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7")
        #expect(Address.p2wsh(Array(scriptHash.prefix(20))) == nil)
        #expect(Address.p2tr(Array(key.prefix(31))) == nil)
    }

    @Test func emptyAndTooLong() {
        #expect(failure { () throws(AddressError) in try Address.decode("") } == .empty)
        let long = "bc1" + String(repeating: "q", count: 100)
        #expect(failure { () throws(AddressError) in try Address.decode(long) } == .tooLong(length: 103, limit: 90))
    }

    @Test func unknownHRPEvenWhenAllBase58Digits() {
        // Every character here is also a Base58 digit; the Bech32 checksum decides.
        #expect(failure { () throws(AddressError) in try Address.decode("xy1qqgqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqukzeve") }
            == .unknownHRP("xy"))
        // Same shape with a broken checksum reads as Base58 and fails there.
        #expect(failure { () throws(AddressError) in try Address.decode("xy1qqgqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqukzevf") }
            == .invalidChecksum)
    }

    @Test func nonStandardScriptsHaveNoAddress() throws {
        let hex = [
            "",
            "6a0401020304",  // OP_RETURN
            "2102" + String(repeating: "11", count: 32) + "ac",  // P2PK
            "76a91477bff20c60e522dfaa3350c39b030a5d004e839a88ad",  // P2PKH with OP_CHECKSIGVERIFY
            "a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb88",  // P2SH with OP_EQUALVERIFY
            "0015" + String(repeating: "00", count: 21),  // v0, 21-byte program
            "5101" + "00",  // v1, 1-byte program
            "5129" + String(repeating: "00", count: 41),  // v1, 41-byte program
            "5120" + String(repeating: "00", count: 31),  // push length disagrees with script length
            "4f20" + String(repeating: "00", count: 32),  // OP_1NEGATE is not a witness version
            "0114" + String(repeating: "00", count: 20),  // 0x01 is a push, not OP_1
        ]
        for h in hex {
            let script = try #require(Script(hex: h))
            #expect(Address(scriptPubKey: script) == nil, "\(h)")
        }
    }

    @Test func errorMessages() {
        #expect(AddressError.wrongNetwork(expected: .mainnet, actual: [.testnet4, .signet, .regtest]).description
            == "address is for testnet4/signet/regtest, not mainnet")
        #expect(AddressError.invalidCharacter("O", position: 10).description == "invalid character 'O' at position 10")
        #expect(AddressError.invalidCharacter("\u{80}", position: 0).description == "invalid character U+0080 at position 0")
        #expect(AddressError.wrongChecksumVariant(witnessVersion: 1, found: .bech32).description
            == "witness version 1 requires a bech32m checksum, but the address uses bech32")
        #expect(AddressError.unknownVersionByte(0x80).description.contains("0x80"))
        #expect(AddressError.invalidV0ProgramLength(16).description == "witness version 0 program is 16 bytes; must be 20 or 32")
    }

    // MARK: - Shared checks

    /// Each valid address decodes to its script on exactly its networks, re-encodes
    /// to itself (lowercased for Bech32), and script → address → script round-trips.
    private func checkValid(_ vectors: [AddressVectors.ValidAddress]) throws {
        for vector in vectors {
            let (address, networks) = try Address.decode(vector.address)
            #expect(networks == AddressVectors.networks(vector.networks), "\(vector.address)")
            #expect(address.scriptPubKey.hex == vector.scriptPubKey, "\(vector.address)")
            let canonical = vector.address.hasPrefix("1") || vector.address.hasPrefix("3")
                || vector.address.hasPrefix("m") || vector.address.hasPrefix("n") || vector.address.hasPrefix("2")
                ? vector.address : vector.address.lowercased()
            for network in BitcoinNetwork.allCases {
                if networks.contains(network) {
                    #expect(try Address(vector.address, network: network) == address)
                    #expect(address.encoded(for: network) == canonical, "\(vector.address) on \(network)")
                } else {
                    #expect(failure { () throws(AddressError) in try Address(vector.address, network: network) }
                        == .wrongNetwork(expected: network, actual: networks))
                }
            }
            let script = try #require(Script(hex: vector.scriptPubKey))
            let fromScript = try #require(Address(scriptPubKey: script), "\(vector.scriptPubKey)")
            #expect(fromScript == address)
            #expect(fromScript.scriptPubKey == script)
        }
    }

    /// Each invalid address fails with exactly the expected error, for any network.
    private func checkInvalid(_ vectors: [AddressVectors.InvalidAddress]) throws {
        for vector in vectors {
            let expected = try #require(vector.error.error(for: vector.address), "unknown kind \(vector.error.kind)")
            let actual = failure { () throws(AddressError) in try Address.decode(vector.address) }
            #expect(actual == expected, "\(vector.reason): \(vector.address.debugDescription)")
            for network in BitcoinNetwork.allCases {
                #expect(failure { () throws(AddressError) in try Address(vector.address, network: network) } == expected)
            }
        }
    }
}
