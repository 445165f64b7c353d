import BitcoinPrimitives
import Ed25519
import Sharechain
import SharechainTestSupport
import Testing

/// `SignatureBatch`: signatures checked ahead on helper threads give the verdicts, and the
/// chain the outcomes, of checking them one by one (issue 17).
@Suite struct SignatureBatchTests {
    /// A valid chain of `count` signed shares, with share `bad` re-signed over another message.
    static func chain(count: Int, bad: Int?) -> [WireShare] {
        var chain = Sharechain(parameters: testParameters())
        let factory = ShareFactory()
        var out: [WireShare] = []
        var parent: ShareHash?
        for i in 0..<count {
            let s = factory.make(on: &chain, parent: parent, timestamp: 1_700_000_000 + UInt64(i) * 10,
                                 script: payout(UInt8(i % 7)))
            try! accept(s, into: &chain)
            out.append(s)
            parent = s.hash
        }
        if let bad { out[bad].signature = testKey.sign([0]) }
        return out
    }

    @Test(arguments: [1, 2, 3, 8])
    func verdictsMatchSequential(threads: Int) {
        let shares = Self.chain(count: 40, bad: 17)
        let expected = shares.map(\.hasValidSignature)
        #expect(expected.filter { !$0 } .count == 1 && !expected[17])
        for _ in 0..<5 { #expect(SignatureBatch.verify(shares, threads: threads) == expected) }
    }

    @Test func verdictsOutOfOrderAndCancelled() {
        let shares = Self.chain(count: 30, bad: 3)
        let batch = SignatureBatch(shares, helperThreads: 2)
        // Asked in any order, each verdict is that share's own.
        for i in shares.indices.reversed() { #expect(batch.verdict(at: i) == (i != 3)) }
        batch.cancel()
        #expect(batch.verdict(at: 3) == false)
        let stopped = SignatureBatch(shares, helperThreads: 1)
        stopped.cancel()
        #expect(shares.indices.map { stopped.verdict(at: $0) } == shares.map(\.hasValidSignature))
        #expect(SignatureBatch.verify([], threads: 2).isEmpty)
    }

    /// Validation with the batch's verdicts gives exactly the outcomes of plain validation,
    /// including the bad signature in the middle and the orphans after it.
    @Test func validationOutcomesMatch() {
        let shares = Self.chain(count: 24, bad: 11)
        func run(_ verdict: ((Int) -> Bool)?) -> [String] {
            var chain = Sharechain(parameters: testParameters())
            return shares.enumerated().map { i, share in
                if let standing = chain.precheck(share) { return "\(standing)" }
                do {
                    let v = try chain.validate(share, now: 2_000_000_000,
                                               signatureVerdict: verdict.map { f in { f(i) } })
                    chain.insert(v.summary)
                    return "ok \(v.summary.hash)"
                } catch {
                    return "\(error)"
                }
            }
        }
        let batch = SignatureBatch(shares, helperThreads: 1)
        defer { batch.cancel() }
        let sequential = run(nil)
        #expect(sequential[11] == "\(ShareRuleError.badSignature)")
        #expect(sequential[..<11].allSatisfy { $0.hasPrefix("ok ") })
        #expect(run { batch.verdict(at: $0) } == sequential)
    }

    /// A prepared run is handed back to the chain when it asks for exactly those shares; any
    /// other run (one signature changed) gets its own batch, whose verdicts are its own.
    @Test func checkerHandsBackPreparedRuns() {
        let shares = Self.chain(count: 20, bad: nil)
        let checker = SignatureChecker(helperThreads: 2)
        checker.prepare(shares)
        var forged = shares
        forged[5].signature = testKey.sign([1])
        let other = checker.batch(for: forged)
        defer { other.cancel() }
        #expect(forged.indices.map { other.verdict(at: $0) } == forged.map(\.hasValidSignature))
        #expect(!other.verdict(at: 5))
        let first = checker.batch(for: shares)
        defer { first.cancel() }
        #expect(shares.indices.map { first.verdict(at: $0) } == Array(repeating: true, count: 20))
        // Taken once: asking again queues a new batch.
        let again = checker.batch(for: shares)
        defer { again.cancel() }
        #expect(again !== first)
        #expect(shares.indices.map { again.verdict(at: $0) } == Array(repeating: true, count: 20))
    }

    /// At most `preparedCapacity` prepared runs wait for the chain: the oldest is dropped
    /// (cancelled), and asking for it later gives a fresh batch with the right verdicts.
    @Test func checkerBoundsPreparedRuns() {
        let shares = Self.chain(count: 10, bad: 4)
        let checker = SignatureChecker(helperThreads: 1)
        var runs: [[WireShare]] = []
        for n in 0...SignatureChecker.preparedCapacity {
            var run = shares
            run[0].signature = testKey.sign([UInt8(n)])  // distinct runs
            runs.append(run)
            checker.prepare(run)
        }
        for run in runs.reversed() {
            let batch = checker.batch(for: run)
            #expect(run.indices.map { batch.verdict(at: $0) } == run.map(\.hasValidSignature))
            batch.cancel()
        }
    }

    /// Checkers created and released in numbers leave no work behind and give right verdicts
    /// (their threads stop with them).
    @Test func checkersComeAndGo() {
        let shares = Self.chain(count: 12, bad: 7)
        let expected = shares.map(\.hasValidSignature)
        for _ in 0..<20 {
            let checker = SignatureChecker(helperThreads: 1)
            checker.prepare(shares)
            let batch = checker.batch(for: shares)
            #expect(shares.indices.map { batch.verdict(at: $0) } == expected)
        }
    }
}
