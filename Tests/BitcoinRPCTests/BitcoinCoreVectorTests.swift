import BitcoinPrimitives
import Testing
@testable import BitcoinRPC

/// Answers captured from a real Bitcoin Core 29.2 (regtest, 2026-12-01): a template with
/// five segwit transactions in the mempool, and `submitblock` answers to a valid block,
/// its duplicate, a competing block on a side branch and blocks broken on purpose.
@Suite("Bitcoin Core 29.2 answers, replayed")
struct BitcoinCoreVectorTests {
    @Test("getblocktemplate with mempool transactions decodes, and its witness commitment is the one the transactions give")
    func template() throws {
        let json = try vector("core29-getblocktemplate-regtest")
        let t = try BlockTemplate(json: json)
        #expect(t.height == 111)
        let bitsTarget = try t.bits.target()
        #expect(t.bits.hex == "207fffff" && t.target == bitsTarget)
        #expect(t.transactions.count == 5)
        #expect(t.transactions.map(\.fee.satoshis) == [5000, 4000, 3000, 2000, 1000])
        #expect(t.coinbaseValue.satoshis == 5_000_000_000 + 15_000)
        #expect(t.totalFees.satoshis == 15_000)
        #expect(t.rules == ["csv", "!segwit", "taproot"])
        #expect(t.signetChallenge == nil && t.isMineableWithoutSignetSolution)
        #expect(t.transactions.allSatisfy { $0.transaction.hasWitness })
        let root = WitnessCommitment.witnessMerkleRoot(nonCoinbaseWtxids: t.transactions.map(\.wtxid))
        #expect(t.defaultWitnessCommitment == WitnessCommitment.outputScript(commitment: WitnessCommitment.commitment(witnessRoot: root)))
        #expect(t.mintime <= t.curtime)
        #expect(try BlockTemplate(json: t.json) == t)
    }

    @Test("every submitblock answer Bitcoin Core gave maps to its case", arguments: [
        ("accepted", SubmitBlockResult.accepted), ("duplicate", .duplicate), ("inconclusive", .inconclusive),
        ("duplicate-invalid", .duplicateInvalid), ("bad-cb-amount", .rejected("bad-cb-amount")),
        ("bad-txnmrklroot", .rejected("bad-txnmrklroot")), ("high-hash", .rejected("high-hash")),
        ("bad-diffbits", .rejected("bad-diffbits")), ("time-too-old", .rejected("time-too-old")),
        ("bad-cb-height", .rejected("bad-cb-height")), ("prev-blk-not-found", .rejected("prev-blk-not-found")),
    ])
    func submitBlockAnswers(name: String, expected: SubmitBlockResult) throws {
        let answers = try vector("core29-submitblock-answers")
        let response = try #require(answers[name]?["response"])
        #expect(response["error"]?.isNull == true)
        #expect(try SubmitBlockResult(json: #require(response["result"])) == expected)
        #expect(expected.isAccepted == (name == "accepted" || name == "duplicate"))
    }

    @Test("a custom OP_TRUE signet's template carries its challenge and is mineable")
    func opTrueSignet() throws {
        // bitcoind -signet -signetchallenge=51, getblocktemplate {"rules": ["segwit", "signet"]}.
        let t = try BlockTemplate(json: try vector("core29-getblocktemplate-signet-optrue"))
        #expect(t.signetChallenge == Script(hex: "51"))
        #expect(t.isMineableWithoutSignetSolution)
        #expect(t.rules.contains("!signet"))
        #expect(t.height == 1 && t.bits.hex == "1e0377ae")
    }

    @Test("a signet challenge that needs a signature is refused; OP_TRUE-like challenges are mineable")
    func signetChallenge() throws {
        var t = try BlockTemplate(json: try vector("core29-getblocktemplate-regtest"))
        t.signetChallenge = Script(hex: "51")
        #expect(t.isMineableWithoutSignetSolution)
        t.signetChallenge = Script(hex: "60")  // OP_16
        #expect(t.isMineableWithoutSignetSolution)
        // The default signet's 1-of-2 multisig challenge.
        t.signetChallenge = Script(hex: "512103ad5e0edad18cb1f0fc0d28a3d4f1f3e445640337489abb10404f2d1e086be430210359ef5021964fe22d6f8e05b2463c9540ce96883fe3b278760f048f5189f2e6c452ae")
        #expect(!t.isMineableWithoutSignetSolution)
        t.signetChallenge = Script(hex: "00")  // OP_0: false on an empty stack
        #expect(!t.isMineableWithoutSignetSolution)
        #expect(try BlockTemplate(json: t.json).signetChallenge == t.signetChallenge)
    }
}
