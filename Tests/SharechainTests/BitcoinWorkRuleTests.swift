import BitcoinPrimitives
import Sharechain
import SharechainTestSupport
import TIDES
import Testing

/// Bitcoin's difficulty rule (Docs/PROTOCOL.md §8 rule 9b: a share's Bitcoin header is bound to the real
/// chain), checked against Bitcoin Core's own vectors (src/test/pow_tests.cpp: the
/// mainnet retargets at blocks 32256 and 2016, and the ¼ and 4× clamps).
@Suite("Bitcoin work rule: the bits a Bitcoin header must carry")
struct BitcoinWorkRuleTests {
    let limit = BitcoinWorkRule.powLimit(.mainnet)

    @Test("Bitcoin Core's retarget vectors", arguments: [
        // (first block time, last block time, last bits, expected bits)
        (UInt32(1_261_130_161), UInt32(1_262_152_739), UInt32(0x1d00_ffff), UInt32(0x1d00_d86a)),  // get_next_work
        (1_231_006_505, 1_233_061_996, 0x1d00_ffff, 0x1d00_ffff),                                  // _pow_limit
        (1_279_008_237, 1_279_297_671, 0x1c05_a3f4, 0x1c01_68fd),                                  // _lower_limit_actual
        (1_263_163_443, 1_269_211_443, 0x1c38_7f6f, 0x1d00_e1fd),                                  // _upper_limit_actual
    ])
    func coreVectors(first: UInt32, last: UInt32, bits: UInt32, expected: UInt32) {
        let next = BitcoinWorkRule.retarget(baseBits: CompactTarget(rawValue: bits), firstBlockTime: first,
                                            lastBlockTime: last, powLimit: limit)
        #expect(next == CompactTarget(rawValue: expected))
    }

    @Test("between retargets a mainnet block keeps its parent's bits; at a retarget the period's first block is needed")
    func mainnetRule() throws {
        let parent = BitcoinWorkRule.Parent(height: 840_000, bits: CompactTarget(rawValue: 0x1703_4219), time: 1_713_571_767)
        let rule = try #require(BitcoinWorkRule.rule(for: parent, network: .mainnet))
        #expect(rule.requiredBits.rawValue == 0x1703_4219 && rule.minimumDifficulty == nil)
        var boundary = BitcoinWorkRule.Parent(height: 32_255, bits: CompactTarget(rawValue: 0x1d00_ffff), time: 1_262_152_739)
        #expect(BitcoinWorkRule.rule(for: boundary, network: .mainnet) == nil)
        boundary.periodFirst = (1_261_130_161, CompactTarget(rawValue: 0x1d00_ffff))
        #expect(BitcoinWorkRule.rule(for: boundary, network: .mainnet)?.requiredBits.rawValue == 0x1d00_d86a)
    }

    @Test("testnet4 (BIP94): 20 minutes after the parent the limit is allowed; otherwise the last regular bits")
    func testnet4Rule() throws {
        let limitBits = CompactTarget(target: BitcoinWorkRule.powLimit(.testnet4))
        #expect(limitBits.rawValue == 0x1d00_ffff)
        let regular = CompactTarget(rawValue: 0x1c1f_ffff)
        // The parent itself was a minimum-difficulty block: the rule needs the last regular bits.
        let parent = BitcoinWorkRule.Parent(height: 50_001, bits: limitBits, time: 1_800_000_000, lastRegularBits: regular)
        let rule = try #require(BitcoinWorkRule.rule(for: parent, network: .testnet4))
        func header(time: UInt32, bits: CompactTarget) -> BlockHeader {
            BlockHeader(version: 0x2000_0000, prevBlock: BlockHash(rawHash: .zero), merkleRoot: MerkleRoot(rawHash: .zero),
                        time: time, bits: bits, nonce: 0)
        }
        #expect(rule.allows(header(time: 1_800_000_100, bits: regular)))
        #expect(!rule.allows(header(time: 1_800_000_100, bits: limitBits)))       // too early for the exception
        #expect(rule.allows(header(time: 1_800_001_201, bits: limitBits)))        // > parent + 20 min
        #expect(!rule.allows(header(time: 1_800_001_201, bits: CompactTarget(rawValue: 0x2100_ffff))))
        // At a retarget BIP94 scales the period's first block's bits, and there is no exception.
        var boundary = BitcoinWorkRule.Parent(height: 2015, bits: limitBits, time: 1_800_000_000 + 1_209_600)
        boundary.periodFirst = (1_800_000_000, regular)
        let retarget = try #require(BitcoinWorkRule.rule(for: boundary, network: .testnet4))
        #expect(retarget.requiredBits == regular && retarget.minimumDifficulty == nil)
    }

    @Test("regtest keeps the limit; signet retargets like mainnet under its own limit")
    func otherNetworks() throws {
        let regtest = BitcoinWorkRule.Parent(height: 200, bits: CompactTarget(rawValue: 0x207f_ffff), time: 1_700_000_000)
        #expect(BitcoinWorkRule.rule(for: regtest, network: .regtest)?.requiredBits.rawValue == 0x207f_ffff)
        var signet = BitcoinWorkRule.Parent(height: 4031, bits: CompactTarget(rawValue: 0x1e03_77ae), time: 1_600_000_000)
        signet.periodFirst = (1_600_000_000 - 600_000, CompactTarget(rawValue: 0x1e03_77ae))  // fast: harder, ≥ ¼ clamp
        let next = try #require(BitcoinWorkRule.rule(for: signet, network: .signet)).requiredBits
        #expect(try next.target() < (try CompactTarget(rawValue: 0x1e03_77ae).target()))
        #expect(CompactTarget(target: BitcoinWorkRule.powLimit(.signet)).rawValue == 0x1e03_77ae)
    }
}

/// Validation with what bitcoind knows of the Bitcoin parent (Docs/PROTOCOL.md §8 rule 9b).
@Suite("Sharechain: shares bound to the real Bitcoin chain")
struct BitcoinBindingTests {
    func setup() throws -> (Sharechain, ShareFactory, ShareHash) {
        var chain = Sharechain(parameters: testParameters())
        let f = ShareFactory()
        let g = f.make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(1))
        try accept(g, into: &chain)
        return (chain, f, g.hash)
    }

    @Test("a share whose Bitcoin bits are not the required ones is rejected and its sender penalised (the 2100ffff attack)")
    func wrongBitsRejected() throws {
        var (chain, f, tip) = try setup()
        let share = f.make(on: &chain, parent: tip, timestamp: 1_700_000_010, script: payout(2))
        // bitcoind says a child of that block must carry 0x1d00ffff; the share's header claims 0x2000ffff.
        let rule = BitcoinParentRule(requiredBits: CompactTarget(rawValue: 0x1d00_ffff))
        #expect(throws: ShareRuleError.wrongBitcoinBits(declared: f.bitcoinBits, required: CompactTarget(rawValue: 0x1d00_ffff))) {
            try chain.validate(share, now: 2_000_000_000, bitcoinParent: .known(rule))
        }
        #expect(ShareRuleError.wrongBitcoinBits(declared: f.bitcoinBits, required: rule.requiredBits).penalty == .misbehaving(100))
        // The same share with the right rule is valid.
        #expect(throws: Never.self) {
            try chain.validate(share, now: 2_000_000_000, bitcoinParent: .known(BitcoinParentRule(requiredBits: f.bitcoinBits)))
        }
    }

    @Test("a share on a Bitcoin block bitcoind does not know waits without penalty")
    func unknownBlockHeld() throws {
        var (chain, f, tip) = try setup()
        let share = f.make(on: &chain, parent: tip, timestamp: 1_700_000_010, script: payout(2))
        let prev = share.bitcoinHeader.prevBlock
        #expect(throws: ShareRuleError.unknownBitcoinBlock(prev)) {
            try chain.validate(share, now: 2_000_000_000, bitcoinParent: .unknown(prev))
        }
        #expect(ShareRuleError.unknownBitcoinBlock(prev).penalty == .none)
    }
}
