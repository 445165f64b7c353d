import BitcoinPrimitives
import Testing

/// The mining types that moved to BitcoinPrimitives (Stratum coinbase halves, size
/// classes, layout); their end-to-end tests with real coinbases stay in SharechainTests.
@Suite("Mining types (coinbase halves, size classes, layout)")
struct MiningTypesTests {
    @Test func halvesJoinAroundTheExtranoncesAndHash() throws {
        let coinbase = StratumCoinbase(coinb1: [0x01, 0x02, 0x03], coinb2: [0xfe, 0xff])
        let en1: [UInt8] = [0xa1, 0xa2, 0xa3, 0xa4]
        let en2: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let bytes = try coinbase.serialized(extranonce1: en1, extranonce2: en2)
        #expect(bytes == [0x01, 0x02, 0x03] + en1 + en2 + [0xfe, 0xff])
        #expect(try coinbase.txid(extranonce1: en1, extranonce2: en2) == Txid(rawHash: SHA256d.hash(bytes)))
        let branch = [SHA256d.hash([9])]
        #expect(try coinbase.merkleRoot(extranonce1: en1, extranonce2: en2, branch: branch)
                    == Merkle.root(coinbaseTxid: Txid(rawHash: SHA256d.hash(bytes)), branch: branch))
        #expect(coinbase.coinb1Hex == "010203" && coinbase.coinb2Hex == "feff")
        #expect(throws: CoinbaseError.extranonceSize(expected: 4, actual: 3)) {
            try coinbase.serialized(extranonce1: [1, 2, 3], extranonce2: en2)
        }
        #expect(throws: CoinbaseError.extranonceSize(expected: 8, actual: 9)) {
            try coinbase.serialized(extranonce1: en1, extranonce2: en2 + [9])
        }
    }

    @Test func layoutConstants() {
        #expect(CoinbaseLayout.maxCoinb1Size == 67)
        #expect(CoinbaseLayout.extranonceSize == StratumCoinbase.extranonce1Size + StratumCoinbase.extranonce2Size)
        #expect(CoinbaseLayout.coinb2FixedSize == 102)
        #expect(CoinbaseLayout.maxPayoutOutputSize == 51 && CoinbaseLayout.lotteryOutputSlack == 8)
        let halves = CoinbaseLayout.Halves(StratumCoinbase(coinb1: [UInt8](repeating: 0, count: 60),
                                                           coinb2: [UInt8](repeating: 0, count: 100)))
        #expect(halves.whole == 172)
    }

    @Test func sizeClassesAreNestedWithTheirFirmwareLimits() {
        #expect(CoinbaseSizeClass.safest == .bytes255)
        let halves384 = CoinbaseSizeClass.halves384.limits
        #expect(halves384.coinb1 == 384 && halves384.coinb2 == 384 && halves384.whole == nil)
        #expect(CoinbaseSizeClass.allCases.map(\.nominalSize) == [255, 384, 500, 730, 2250, 6500, 16000])
        for (a, b) in zip(CoinbaseSizeClass.allCases, CoinbaseSizeClass.allCases.dropFirst()) {
            #expect(a < b && a.payoutBudgetBytes < b.payoutBudgetBytes)
        }
        #expect(CoinbaseSizeClass.bytes255.admits(.init(coinb1: 67, coinb2: 176)))
        #expect(!CoinbaseSizeClass.bytes255.admits(.init(coinb1: 67, coinb2: 177)))
        #expect(CoinbaseSizeClass.bytes16000.capped(toCoinbaseWeight: CoinbaseSizeClass.bytes730.maxCoinbaseWeight) == .bytes730)
        #expect(CoinbaseSizeClass.bytes255.capped(toCoinbaseWeight: 10) == nil)
    }
}
