import BitcoinPrimitives
import Sharechain
import TIDES
import Testing

/// Coinbase bytes against `Vectors/coinbase.json`, computed independently by
/// `Vectors/generate_vectors.py`.
@Suite struct CoinbaseVectorTests {
    static let cases: [CoinbaseCase] = (try? SharechainVectors.load("coinbase", as: CoinbaseVectorFile.self).cases) ?? []

    @Test func vectorFileLoads() throws {
        let file = try SharechainVectors.load("coinbase", as: CoinbaseVectorFile.self)
        #expect(file.cases.count == 5)
    }

    @Test(arguments: cases)
    func transactionMatchesVector(_ v: CoinbaseCase) throws {
        let template = try v.template()
        let tx = try template.transaction(extranonce1: hexBytes(v.extranonce1), extranonce2: hexBytes(v.extranonce2))
        #expect(tx.inputs[0].scriptSig.hex == v.scriptSig)
        #expect(Hex.encode(tx.serialized(includingWitness: false)) == v.tx)
        #expect(tx.txid.description == v.txid)
        #expect(!tx.hasWitness)
        #expect(tx.isCoinbase)
        let stratum = template.stratumCoinbase
        #expect(stratum.coinb1Hex == v.coinb1)
        #expect(stratum.coinb2Hex == v.coinb2)
    }

    @Test(arguments: cases)
    func scriptSigStartsWithHeightAndDecodesBack(_ v: CoinbaseCase) throws {
        let template = try v.template()
        let scriptSig = try template.scriptSig(extranonce1: hexBytes(v.extranonce1), extranonce2: hexBytes(v.extranonce2))
        #expect(CoinbaseBuilder.bitcoinHeight(ofScriptSig: scriptSig) == v.height)
        #expect(scriptSig.startsWithCoinbaseHeight(v.height))
    }

    /// The BIP34 pushes written out by hand.
    @Test(arguments: [
        (1, [0x51] as [UInt8]),
        (16, [0x60]),
        (17, [0x01, 0x11]),
        (840_000, [0x03, 0x40, 0xd1, 0x0c]),
    ])
    func heightPushByHand(height: Int, push: [UInt8]) throws {
        let v = try #require(Self.cases.first { $0.height == height })
        #expect(Array(hexBytes(v.scriptSig).prefix(push.count)) == push)
        let tag = hexBytes(v.nodeTag)
        #expect(hexBytes(v.scriptSig) == push + tag + hexBytes(v.extranonce1) + hexBytes(v.extranonce2))
    }

    @Test func firstVectorByHand() throws {
        let v = try #require(Self.cases.first { $0.height == 1 })
        // version 1 | 1 input | null prevout | scriptSig length 0x17 = 1 + 10 + 12 | OP_1 | "/tidepool/"
        let expected = "01000000" + "01" + String(repeating: "00", count: 32) + "ffffffff" + "17" + "51"
            + Hex.encode(Array("/tidepool/".utf8))
        #expect(v.coinb1 == expected)
        // sequence | 2 outputs | 50 BTC to the payout | 0 to OP_RETURN "TDPL" <hash> | lock time 0
        #expect(v.coinb2.hasPrefix("ffffffff" + "02" + "00f2052a01000000" + "16" + "0014"))
        #expect(v.coinb2.hasSuffix("0000000000000000" + "26" + "6a24" + "5444504c"
            + String(repeating: "31", count: 32) + "00000000"))
    }

    @Test func outputOrderIsPayoutsThenShareThenWitnessCommitment() throws {
        let v = try #require(Self.cases.first { $0.height == 840_000 })
        let template = try v.template()
        let tx = try template.transaction(extranonce1: [1, 2, 3, 4], extranonce2: [UInt8](repeating: 9, count: 8))
        #expect(tx.outputs.count == v.payouts.count + 2)
        for (out, p) in zip(tx.outputs, v.payouts) {
            #expect(out.scriptPubKey.hex == p.script && out.value.satoshis == p.amount)
        }
        #expect(tx.outputs[v.payouts.count].value == .zero)
        #expect(ShareCommitment.shareHash(in: tx.outputs[v.payouts.count].scriptPubKey) == template.shareHash)
        #expect(tx.outputs.last!.scriptPubKey.hex == v.witnessCommitment)
        #expect(tx.outputs.last!.value == .zero)
        #expect(tx.version == 1 && tx.lockTime == 0)
        #expect(tx.inputs[0].sequence == 0xffff_ffff && tx.inputs[0].previousOutput == .null)
    }
}
