import BitcoinPrimitives
import Testing
@testable import BitcoinRPC
@testable import DevnetBitcoin

@Suite struct DevnetChainTests {
    let genesisTime = DevnetParameters().genesisTime

    @Test func genesisIsDeterministicAndValid() throws {
        let a = DevnetChain(), b = DevnetChain()
        #expect(a.tip.hash == b.tip.hash && a.height == 0)
        let genesis = a.tip.block
        try genesis.header.checkProofOfWork(powLimit: DevnetParameters.regtestPowLimit)
        #expect(genesis.header.merkleRoot == genesis.computedMerkleRoot.root)
        #expect(genesis.header.time == genesisTime)
    }

    @Test func minedBlockIsAcceptedAndMovesTheTip() throws {
        var chain = DevnetChain()
        let template = chain.template(now: genesisTime + 60)
        #expect(template.height == 1 && template.previousBlockHash == chain.genesisHash)
        #expect(template.coinbaseValue.satoshis == 50 * 100_000_000)
        #expect(template.curtime == genesisTime + 60 && template.mintime == genesisTime + 1)
        #expect(template.defaultWitnessCommitment != nil && template.transactions.isEmpty)
        let block = TestMiner.block(for: template)
        #expect(chain.submit(block, now: genesisTime + 60) == .accepted)
        #expect(chain.tip.hash == block.hash && chain.height == 1)
        #expect(chain.hash(atHeight: 1) == block.hash)
        #expect(chain.submit(block) == .duplicate)
        #expect(chain.template(now: genesisTime + 61).previousBlockHash == block.hash)
    }

    @Test func curtimeNeverBelowMintime() {
        let chain = DevnetChain()
        let t = chain.template(now: 5)
        #expect(t.curtime == t.mintime)
    }

    /// Submits a block built from the tip's template by `make` and returns the result.
    private func attempt(_ chain: inout DevnetChain, now: UInt32,
                         _ make: (BlockTemplate) -> Block) -> SubmitBlockResult {
        chain.submit(make(chain.template(now: now)), now: now)
    }

    @Test func everyRejectionReason() throws {
        var chain = DevnetChain()
        let now = genesisTime + 100
        TestMiner.mine(&chain, time: now - 50)
        let other = Transaction(version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: Txid(rawHash: .zero), index: 0))],
                                outputs: [TxOut(value: .zero, scriptPubKey: Script([0x51]))], lockTime: 0)
        let other2 = Transaction(version: 1, inputs: other.inputs, outputs: other.outputs, lockTime: 0)
        func cb(_ t: BlockTemplate, value: Amount? = nil, commitment: Script?? = nil, witness: [[UInt8]]? = nil,
                heightScript: Script? = nil) -> Transaction {
            var tx = TestMiner.coinbase(height: t.height, value: value ?? t.coinbaseValue,
                                        commitment: commitment ?? t.defaultWitnessCommitment, heightScript: heightScript)
            if let witness { tx.inputs[0].witness = witness }
            return tx
        }
        func regrind(_ b: Block, _ edit: (inout BlockHeader) -> Void) -> Block {
            var h = b.header
            edit(&h)
            return Block(header: TestMiner.grind(h), transactions: b.transactions)
        }
        let cases: [(String, (BlockTemplate) -> Block)] = [
            ("high-hash", { t in let b = TestMiner.block(for: t)
                return Block(header: TestMiner.missTarget(b.header), transactions: b.transactions) }),
            ("bad-txnmrklroot", { t in regrind(TestMiner.block(for: t)) { $0.merkleRoot = MerkleRoot(rawHash: .zero) } }),
            ("bad-txns-duplicate", { t in
                let b = TestMiner.block(for: t, coinbase: cb(t, commitment: .some(nil)), transactions: [other, other2, other2])
                return regrind(b) { $0.merkleRoot = Merkle.root(txids: b.transactions.map(\.txid)) } }),
            ("bad-cb-missing", { t in
                let b = TestMiner.block(for: t, coinbase: other)
                return b }),
            ("bad-cb-length", { t in
                var c = cb(t, commitment: .some(nil))
                c.inputs[0].scriptSig = Script.coinbaseHeight(t.height)
                return TestMiner.block(for: t, coinbase: c) }),
            ("prev-blk-not-found", { t in var t = t
                t.previousBlockHash = BlockHash(rawHash: SHA256d.hash(Array("nowhere".utf8)))
                return TestMiner.block(for: t) }),
            ("bad-diffbits", { t in TestMiner.block(for: t, bits: CompactTarget(rawValue: 0x1f7f_ffff)) }),
            ("time-too-old", { t in TestMiner.block(for: t, time: t.mintime - 1) }),
            ("time-too-new", { t in TestMiner.block(for: t, time: now + 7201) }),
            ("bad-version(0x00000003)", { t in TestMiner.block(for: t, version: 3) }),
            ("bad-cb-height", { t in TestMiner.block(for: t, coinbase: cb(t, heightScript: Script.coinbaseHeight(t.height + 1))) }),
            ("bad-witness-nonce-size", { t in TestMiner.block(for: t, coinbase: cb(t, witness: [])) }),
            ("bad-witness-merkle-match", { t in
                TestMiner.block(for: t, coinbase: cb(t, commitment: WitnessCommitment.outputScript(commitment: .zero))) }),
            ("unexpected-witness", { t in TestMiner.block(for: t, coinbase: cb(t, commitment: .some(nil), witness: [[1]])) }),
            ("bad-txns-inputs-missingorspent", { t in
                TestMiner.block(for: t, coinbase: cb(t, commitment: .some(nil)), transactions: [other]) }),
            ("bad-cb-amount", { t in
                TestMiner.block(for: t, coinbase: cb(t, value: Amount(satoshis: t.coinbaseValue.satoshis + 1)!)) }),
        ]
        for (reason, make) in cases {
            #expect(attempt(&chain, now: now, make) == .rejected(reason), "\(reason)")
        }
        #expect(chain.height == 1)
        // A block that failed after the context-free checks is remembered as invalid.
        let t = chain.template(now: now)
        let overpaying = TestMiner.block(for: t, coinbase: cb(t, value: Amount(satoshis: t.coinbaseValue.satoshis + 1)!))
        #expect(chain.submit(overpaying, now: now) == .duplicateInvalid)
        // A witness-only failure is not remembered: the same header with the right
        // witness reserved value (bad-witness-nonce-size above) is accepted.
        #expect(TestMiner.mine(&chain, time: now) == .accepted)
    }

    @Test func sideBranchIsInconclusiveUntilItHasMoreWork() throws {
        var chain = DevnetChain()
        let t = chain.template(now: genesisTime + 10)
        let a = TestMiner.block(for: t, extra: [0xaa])
        let b = TestMiner.block(for: t, extra: [0xbb])
        #expect(chain.submit(a) == .accepted)
        #expect(chain.submit(b) == .inconclusive)
        #expect(chain.tip.hash == a.hash)
        // Extend b: its branch now has more work and becomes active.
        var onB = chain.template(now: genesisTime + 20)
        onB.previousBlockHash = b.hash
        let c = TestMiner.block(for: onB, time: genesisTime + 20)
        #expect(chain.submit(c) == .accepted)
        #expect(chain.tip.hash == c.hash && chain.hash(atHeight: 1) == b.hash && !chain.isActive(a.hash))
    }

    @Test func bip34HeightsOneToSixteenAreSmallIntegerOpcodes() throws {
        var chain = DevnetChain()
        for h in 1...17 {
            #expect(TestMiner.mine(&chain, time: genesisTime + UInt32(10 * h)) == .accepted)
            let scriptSig = chain.tip.block.transactions[0].inputs[0].scriptSig.bytes
            if h <= 16 { #expect(scriptSig[0] == 0x50 + UInt8(h)) } else { #expect(Array(scriptSig.prefix(2)) == [0x01, 0x11]) }
            #expect(chain.tip.block.transactions[0].inputs[0].scriptSig.coinbaseHeight == h)
        }
        // Height 18 written as a non-minimal push of 5 bytes is not BIP34.
        let t = chain.template(now: genesisTime + 180)
        var cb = TestMiner.coinbase(height: 18, value: t.coinbaseValue, commitment: t.defaultWitnessCommitment)
        cb.inputs[0].scriptSig = Script([0x05, 18, 0, 0, 0, 0, 0x74])
        #expect(chain.submit(TestMiner.block(for: t, coinbase: cb)) == .rejected("bad-cb-height"))
        // Height 5 pushed as data (01 05) instead of OP_5 is rejected too.
        var small = DevnetChain()
        for h in 1...4 { TestMiner.mine(&small, time: genesisTime + UInt32(10 * h)) }
        let t5 = small.template(now: genesisTime + 50)
        let pushed = TestMiner.coinbase(height: 5, value: t5.coinbaseValue, commitment: t5.defaultWitnessCommitment,
                                        heightScript: Script([0x01, 0x05]))
        #expect(small.submit(TestMiner.block(for: t5, coinbase: pushed)) == .rejected("bad-cb-height"))
    }

    @Test func subsidyHalvesEvery150Blocks() {
        let p = DevnetParameters()
        #expect(p.subsidy(height: 149).satoshis == 5_000_000_000)
        #expect(p.subsidy(height: 150).satoshis == 2_500_000_000)
        #expect(p.subsidy(height: 300).satoshis == 1_250_000_000)
        #expect(p.subsidy(height: 150 * 64) == .zero)
    }
}
