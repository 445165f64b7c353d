import BitcoinPrimitives
import Sharechain
import TIDES
import Testing

@Suite struct StratumCoinbaseTests {
    /// Templates of varied shape: heights across push sizes, tags 0–20 bytes, 0–30
    /// payouts, with and without a witness commitment.
    static let templates: [CoinbaseTemplate] = {
        var result: [CoinbaseTemplate] = []
        let heights = [0, 1, 16, 17, 127, 128, 255, 256, 32_767, 32_768, 840_000, 8_388_608, 2_147_483_647]
        for (i, height) in heights.enumerated() {
            let payoutCount = (i * 7) % 31
            var payouts: [PayoutEntry] = []
            for n in 0..<payoutCount {
                let script = n % 2 == 0 ? wpkh(UInt8(n)) : taproot(UInt8(n))
                payouts.append(PayoutEntry(script: script, amount: sat(Int64(1000 + n))))
            }
            let value = Amount.sum(payouts.map(\.amount))!
            result.append(try! CoinbaseTemplate(
                bitcoinHeight: height, coinbaseValue: value,
                witnessCommitment: i % 2 == 0 ? sampleWitnessCommitment : Script(),
                nodeTag: [UInt8](repeating: UInt8(0x41 + i), count: (i * 3) % 21),
                payouts: payouts, shareHash: ShareHash(rawHash: filledHash(UInt8(i)))))
        }
        return result
    }()

    static let extranonces: [([UInt8], [UInt8])] = [
        ([0, 0, 0, 0], [UInt8](repeating: 0, count: 8)),
        ([0xff, 0xfe, 0xfd, 0xfc], [1, 2, 3, 4, 5, 6, 7, 8]),
        ([0x12, 0x34, 0x56, 0x78], [UInt8](repeating: 0xff, count: 8)),
    ]

    @Test(arguments: templates)
    func piecesConcatenateToTheSerialization(_ template: CoinbaseTemplate) throws {
        let stratum = template.stratumCoinbase
        for (en1, en2) in Self.extranonces {
            let tx = try template.transaction(extranonce1: en1, extranonce2: en2)
            let legacy = tx.serialized(includingWitness: false)
            #expect(stratum.coinb1 + en1 + en2 + stratum.coinb2 == legacy)
            #expect(try stratum.serialized(extranonce1: en1, extranonce2: en2) == legacy)
            #expect(try stratum.txid(extranonce1: en1, extranonce2: en2) == tx.txid)
            #expect(try stratum.transaction(extranonce1: en1, extranonce2: en2) == tx)
        }
    }

    @Test(arguments: templates)
    func coinb1EndsWithHeightAndTag(_ template: CoinbaseTemplate) {
        let coinb1 = template.stratumCoinbase.coinb1
        #expect(coinb1.suffix(template.scriptSigPrefix.bytes.count) == template.scriptSigPrefix.bytes[...])
        // The length byte before the prefix counts the extranonces too.
        let lengthIndex = coinb1.count - template.scriptSigPrefix.bytes.count - 1
        #expect(Int(coinb1[lengthIndex]) == template.scriptSigPrefix.bytes.count + 12)
    }

    @Test func merkleRootFromPieces() throws {
        let template = Self.templates[5]
        let others = (1...5).map { Txid(rawHash: filledHash(0x90 + UInt8($0))) }
        let branch = Merkle.coinbaseBranch(nonCoinbaseTxids: others)
        let en1: [UInt8] = [9, 9, 9, 9], en2 = [UInt8](repeating: 7, count: 8)
        let tx = try template.transaction(extranonce1: en1, extranonce2: en2)
        let root = try template.stratumCoinbase.merkleRoot(extranonce1: en1, extranonce2: en2, branch: branch)
        #expect(root == Merkle.root(txids: [tx.txid] + others))
    }

    @Test func wrongExtranonceSizesAreRejected() throws {
        let stratum = Self.templates[3].stratumCoinbase
        #expect(throws: CoinbaseError.extranonceSize(expected: 4, actual: 3)) {
            try stratum.txid(extranonce1: [1, 2, 3], extranonce2: [UInt8](repeating: 0, count: 8))
        }
        #expect(throws: CoinbaseError.extranonceSize(expected: 8, actual: 9)) {
            try stratum.txid(extranonce1: [1, 2, 3, 4], extranonce2: [UInt8](repeating: 0, count: 9))
        }
        #expect(throws: CoinbaseError.extranonceSize(expected: 8, actual: 0)) {
            try Self.templates[3].transaction(extranonce1: [1, 2, 3, 4], extranonce2: [])
        }
    }

    @Test func hexAccessors() {
        let s = StratumCoinbase(coinb1: [0x01, 0xab], coinb2: [0xff])
        #expect(s.coinb1Hex == "01ab" && s.coinb2Hex == "ff")
        #expect(StratumCoinbase.extranonce1Size == 4 && StratumCoinbase.extranonce2Size == 8)
    }
}
