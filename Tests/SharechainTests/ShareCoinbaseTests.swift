import BitcoinPrimitives
import Ed25519
import Sharechain
import SharechainTestSupport
import TIDES
import Testing

/// A "miner" builds a job from a template, finds a header, and publishes a wire
/// share; a peer rebuilds the coinbase from the share and its own payouts.
@Suite struct ShareCoinbaseTests {
    struct Mined {
        let share: WireShare
        let payouts: [PayoutEntry]
        let minerRoot: MerkleRoot
    }

    static func mine(key: SigningKey, witnessCommitment: Script, otherTxCount: Int) throws -> Mined {
        let header = sampleShareHeader(key: key)
        let payouts = [PayoutEntry(script: wpkh(1), amount: sat(200_000_000)),
                       PayoutEntry(script: taproot(2), amount: sat(112_500_000)),
                       PayoutEntry(script: header.payoutScript, amount: sat(17))]
        let template = try CoinbaseTemplate(bitcoinHeight: 840_000, coinbaseValue: sat(312_500_017),
                                            witnessCommitment: witnessCommitment, nodeTag: Array("/tidepool/".utf8),
                                            payouts: payouts, shareHash: header.hash)
        let others = (0..<otherTxCount).map { Txid(rawHash: filledHash(0xa0 + UInt8($0))) }
        let branch = Merkle.coinbaseBranch(nonCoinbaseTxids: others)
        let en1: [UInt8] = [0xde, 0xad, 0xbe, 0xef], en2: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 2]
        let stratum = template.stratumCoinbase
        let root = try stratum.merkleRoot(extranonce1: en1, extranonce2: en2, branch: branch)
        let share = sampleWireShare(header: header, key: key, merkleRoot: root,
                                    scriptSig: try template.scriptSig(extranonce1: en1, extranonce2: en2),
                                    value: template.coinbaseValue, witnessCommitment: witnessCommitment,
                                    branch: branch)
        return Mined(share: share, payouts: payouts, minerRoot: root)
    }

    @Test(arguments: [(Script(), 0), (sampleWitnessCommitment, 1), (sampleWitnessCommitment, 6), (Script(), 13)])
    func rebuiltShareGivesTheMinersRoot(witnessCommitment: Script, otherTxCount: Int) throws {
        let mined = try Self.mine(key: SigningKey.generate(), witnessCommitment: witnessCommitment,
                                  otherTxCount: otherTxCount)
        let share = try WireShare(serialized: mined.share.serialized)  // as a peer receives it
        #expect(share.header.nodeKey.isValidSignature(share.signature, for: share.header.signingMessage))
        #expect(try CoinbaseBuilder.merkleRoot(for: share, payouts: mined.payouts) == mined.minerRoot)
        #expect(share.bitcoinHeader.merkleRoot == mined.minerRoot)
        #expect(share.bitcoinHeight == 840_000)
        let coinbase = try CoinbaseBuilder.coinbase(for: share, payouts: mined.payouts)
        #expect(ShareCommitment.shareHash(in: coinbase.outputs[mined.payouts.count].scriptPubKey) == share.hash)
    }

    @Test func differentPayoutsGiveADifferentRoot() throws {
        let mined = try Self.mine(key: fixedNodeKey, witnessCommitment: sampleWitnessCommitment, otherTxCount: 3)
        var moved = mined.payouts
        moved[0].amount = sat(moved[0].amount.satoshis - 1)
        moved[1].amount = sat(moved[1].amount.satoshis + 1)
        #expect(try CoinbaseBuilder.merkleRoot(for: mined.share, payouts: moved) != mined.minerRoot)
        let reordered = [mined.payouts[1], mined.payouts[0], mined.payouts[2]]
        #expect(try CoinbaseBuilder.merkleRoot(for: mined.share, payouts: reordered) != mined.minerRoot)
        var otherScript = mined.payouts
        otherScript[2].script = wpkh(99)
        #expect(try CoinbaseBuilder.merkleRoot(for: mined.share, payouts: otherScript) != mined.minerRoot)
    }

    @Test func payoutsThatDoNotSumToTheShareValueAreAnError() throws {
        let mined = try Self.mine(key: fixedNodeKey, witnessCommitment: Script(), otherTxCount: 0)
        let short = Array(mined.payouts.dropLast())
        #expect(throws: CoinbaseError.payoutsDoNotSumToValue(sum: sat(312_500_000), value: sat(312_500_017))) {
            try CoinbaseBuilder.coinbase(for: mined.share, payouts: short)
        }
    }

    @Test func anotherShareHashGivesADifferentRoot() throws {
        let mined = try Self.mine(key: fixedNodeKey, witnessCommitment: Script(), otherTxCount: 2)
        var share = mined.share
        share.header.timestamp += 1
        #expect(try CoinbaseBuilder.merkleRoot(for: share, payouts: mined.payouts) != mined.minerRoot)
    }

    @Test func scriptSigBoundsOnRebuild() throws {
        let mined = try Self.mine(key: fixedNodeKey, witnessCommitment: Script(), otherTxCount: 0)
        var share = mined.share
        share.coinbaseScriptSig = Script([0x51])
        #expect(throws: CoinbaseError.scriptSigTooShort(size: 1)) {
            try CoinbaseBuilder.coinbase(for: share, payouts: mined.payouts)
        }
        share.coinbaseScriptSig = Script([UInt8](repeating: 0x51, count: 101))
        #expect(throws: CoinbaseError.scriptSigTooLong(size: 101)) {
            try CoinbaseBuilder.coinbase(for: share, payouts: mined.payouts)
        }
        for size in [2, 100] {
            share.coinbaseScriptSig = Script([UInt8](repeating: 0x51, count: size))
            #expect(try CoinbaseBuilder.coinbase(for: share, payouts: mined.payouts).inputs[0].scriptSig.bytes.count == size)
        }
    }

    @Test func bitcoinHeightExtraction() {
        #expect(CoinbaseBuilder.bitcoinHeight(ofScriptSig: Script([0x51, 0xaa])) == 1)
        #expect(CoinbaseBuilder.bitcoinHeight(ofScriptSig: Script([0x01, 0x11, 0xaa])) == 17)
        #expect(CoinbaseBuilder.bitcoinHeight(ofScriptSig: Script([0x03, 0x40, 0xd1, 0x0c])) == 840_000)
        #expect(CoinbaseBuilder.bitcoinHeight(ofScriptSig: Script([0x03, 0x40, 0xd1])) == nil)
        #expect(CoinbaseBuilder.bitcoinHeight(ofScriptSig: Script()) == nil)
    }
}

@Suite struct CoinbaseTemplateErrorTests {
    let payouts = [PayoutEntry(script: wpkh(1), amount: sat(600)), PayoutEntry(script: wpkh(2), amount: sat(400))]

    func make(height: Int = 100, value: Int64 = 1000, wc: Script = Script(), tag: [UInt8] = [],
              payouts: [PayoutEntry]? = nil) throws(CoinbaseError) -> CoinbaseTemplate {
        try CoinbaseTemplate(bitcoinHeight: height, coinbaseValue: sat(value), witnessCommitment: wc, nodeTag: tag,
                             payouts: payouts ?? self.payouts, shareHash: .none)
    }

    @Test func nodeTagBound() throws {
        _ = try make(tag: [UInt8](repeating: 0x2f, count: 20))
        #expect(throws: CoinbaseError.nodeTagTooLong(size: 21)) { try make(tag: [UInt8](repeating: 0x2f, count: 21)) }
    }

    @Test func payoutSum() throws {
        #expect(throws: CoinbaseError.payoutsDoNotSumToValue(sum: sat(1000), value: sat(1001))) { try make(value: 1001) }
        #expect(throws: CoinbaseError.payoutsDoNotSumToValue(sum: sat(0), value: sat(1000))) { try make(payouts: []) }
        let huge = [PayoutEntry(script: wpkh(1), amount: .maxMoney), PayoutEntry(script: wpkh(2), amount: sat(1))]
        #expect(throws: CoinbaseError.payoutsDoNotSumToValue(sum: nil, value: sat(1000))) { try make(payouts: huge) }
        _ = try make(value: 0, payouts: [])
    }

    @Test func witnessCommitmentShape() throws {
        _ = try make(wc: sampleWitnessCommitment)
        #expect(throws: CoinbaseError.invalidWitnessCommitment) { try make(wc: Script([0x6a])) }
        #expect(throws: CoinbaseError.invalidWitnessCommitment) {
            try make(wc: Script(sampleWitnessCommitment.bytes + [0]))
        }
        var wrongHeader = sampleWitnessCommitment.bytes
        wrongHeader[2] = 0
        #expect(throws: CoinbaseError.invalidWitnessCommitment) { try make(wc: Script(wrongHeader)) }
    }

    @Test func negativeHeight() {
        #expect(throws: CoinbaseError.negativeHeight(-1)) { try make(height: -1) }
    }

    @Test func scriptSigBoundsOnDirectBuild() throws {
        func build(_ size: Int) throws(CoinbaseError) -> Transaction {
            try CoinbaseBuilder.transaction(scriptSig: Script([UInt8](repeating: 0, count: size)), coinbaseValue: sat(1000),
                                            payouts: payouts, shareHash: .none, witnessCommitment: Script())
        }
        #expect(throws: CoinbaseError.scriptSigTooShort(size: 0)) { try build(0) }
        #expect(throws: CoinbaseError.scriptSigTooShort(size: 1)) { try build(1) }
        #expect(throws: CoinbaseError.scriptSigTooLong(size: 101)) { try build(101) }
        _ = try build(2)
        _ = try build(100)
    }

    @Test func largestTemplateStaysWithinTheScriptSigBound() throws {
        let t = try make(height: Int(Int64.max), tag: [UInt8](repeating: 1, count: 20))
        let tx = try t.transaction(extranonce1: [0, 0, 0, 0], extranonce2: [UInt8](repeating: 0, count: 8))
        #expect(tx.inputs[0].scriptSig.bytes.count == 9 + 20 + 12)
    }
}

/// `CoinbaseBuilder.digest` (validation's direct serialization) against the `Transaction` path.
@Suite struct CoinbaseDigestTests {
    @Test(arguments: [(Script(), CoinbaseSizeClass.safest), (sampleWitnessCommitment, .safest),
                      (Script(), .bytes6500), (sampleWitnessCommitment, .bytes6500)])
    func digestEqualsTheTransactionPath(witnessCommitment: Script, sizeClass: CoinbaseSizeClass) throws {
        var chain = Sharechain(parameters: testParameters())
        var factory = ShareFactory()
        factory.witnessCommitment = witnessCommitment
        factory.coinbaseSizeClass = sizeClass
        var parent: ShareHash?
        var checked = 0, withLottery = 0
        for i in 0..<120 {
            let share = factory.make(on: &chain, parent: parent, timestamp: 1_700_000_000 + UInt64(i) * 10,
                                     script: payout(UInt8(i % 60)))
            let split = try chain.split(parent: parent, payoutScript: share.header.payoutScript, bits: share.header.bits,
                                        networkTarget: try share.bitcoinHeader.bits.target(), reward: share.coinbaseValue,
                                        coinbaseSizeClass: sizeClass)
            let coinbase = try CoinbaseBuilder.coinbase(for: share, payouts: split.outputs, shareHash: share.hash)
            let digest = try CoinbaseBuilder.digest(for: share, split: split, shareHash: share.hash)
            #expect(digest.txid == coinbase.txid)
            #expect(digest.halves == CoinbaseLayout.Halves(coinbase: coinbase))
            #expect(split.outputCount == split.outputs.count)
            checked += 1
            if split.lotteryPool.satoshis > 0 { withLottery += 1 }
            try accept(share, into: &chain)
            parent = share.hash
        }
        #expect(checked == 120)
        if sizeClass == .safest { #expect(withLottery > 0) }  // the small budget sends payees to the lottery
    }

    @Test func digestRejectsWhatTheTransactionPathRejects() throws {
        var chain = Sharechain(parameters: testParameters())
        let factory = ShareFactory()
        let share = factory.make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(1))
        let split = try chain.split(parent: nil, payoutScript: payout(1), bits: share.header.bits,
                                    networkTarget: try share.bitcoinHeader.bits.target(), reward: share.coinbaseValue)
        var short = share
        short.coinbaseScriptSig = Script([0x51])
        #expect(throws: CoinbaseError.self) { try CoinbaseBuilder.digest(for: short, split: split, shareHash: short.hash) }
        var wrongValue = share
        wrongValue.coinbaseValue = Amount(satoshis: share.coinbaseValue.satoshis + 1)!
        #expect(throws: CoinbaseError.self) {
            try CoinbaseBuilder.digest(for: wrongValue, split: split, shareHash: wrongValue.hash)
        }
    }
}
