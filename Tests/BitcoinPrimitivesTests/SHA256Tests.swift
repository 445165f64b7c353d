import BitcoinPrimitives
import CSHA256
import Crypto
import Testing

/// CSHA256 against the FIPS 180-4 example digests and against swift-crypto (BoringSSL) at
/// every length around the block and padding boundaries, for both compression functions.
@Suite struct SHA256Tests {
    static let implementations: [csha256_implementation] = [CSHA256_AUTOMATIC, CSHA256_PORTABLE]

    func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    func single(_ data: [UInt8], _ implementation: csha256_implementation) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBufferPointer { csha256_hash($0.baseAddress, $0.count, &out, implementation) }
        return out
    }

    func double(_ data: [UInt8], _ implementation: csha256_implementation) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBufferPointer { csha256d_hash($0.baseAddress, $0.count, &out, implementation) }
        return out
    }

    func reference(_ data: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: data)) }

    @Test(arguments: implementations)
    func fipsExamples(_ implementation: csha256_implementation) {
        // FIPS 180-4 / NIST CSRC example values.
        #expect(hex(single([], implementation)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(single(Array("abc".utf8), implementation))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(single(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8), implementation))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(single(Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8), implementation))
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(hex(single([UInt8](repeating: 0x61, count: 1_000_000), implementation))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(arguments: implementations)
    func everyLengthMatchesBoringSSL(_ implementation: csha256_implementation) {
        var data: [UInt8] = []
        var x: UInt32 = 0x1234_5678
        for length in 0...300 {
            #expect(single(data, implementation) == reference(data), "length \(length)")
            #expect(double(data, implementation) == reference(reference(data)), "length \(length)")
            x = x &* 1_664_525 &+ 1_013_904_223
            data.append(UInt8(truncatingIfNeeded: x >> 24))
        }
    }

    @Test(arguments: implementations)
    func merkleNodeIsTheDoubleHashOfSixtyFourBytes(_ implementation: csha256_implementation) {
        let input = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        var out = [UInt8](repeating: 0, count: 32)
        input.withUnsafeBufferPointer { csha256d_64($0.baseAddress!, &out, implementation) }
        #expect(out == reference(reference(input)))
    }

    @Test func bitcoinGenesisHeaderHash() {
        // Block 0's header; its hash is 000000000019d6…8ce26f in display order.
        let header = Hex.decode("0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c")!
        #expect(SHA256d.hash(header).displayHex == "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")
    }

}
