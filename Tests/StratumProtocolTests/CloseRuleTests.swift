import BitcoinPrimitives
import Sharechain
import Testing
@testable import StratumProtocol

/// Docs/STRATUM.md, "When a connection is closed": only malformed input closes a
/// connection; rejects that job changes cause never do (issue: each cpuminer lost its
/// connection ~29 times in 40 s to "100 consecutive failed requests").
@Suite("Stratum: when a connection is closed")
struct CloseRuleTests {
    func closes(_ actions: [StratumAction]) -> Bool {
        actions.contains { if case .close = $0 { return true } else { return false } }
    }

    @Test("a thousand stale, unknown-job, duplicate and low-difficulty rejects in a row keep the connection")
    func rejectsNeverClose() {
        var s = Fixture.readySession(job: Fixture.job(id: "a1"))
        // A hard vardiff target so most nonces are low difficulty.
        var hard = Fixture.readySession(job: Fixture.job(id: "a1"), policy: VardiffPolicy(
            initial: StratumDifficulty(1 << 30), minimum: StratumDifficulty(1 << 30), maximum: StratumDifficulty(1 << 30),
            wholeNumbersOnly: true))
        _ = s.handle(Fixture.submit(10, job: "a1", nonce: 1), now: Fixture.t0)
        _ = s.receive(job: Fixture.job(id: "b1", clean: true), now: Fixture.t0)
        var sawRejects: Set<Int> = []
        for i in 0..<1000 {
            let request: StratumRequest
            switch i % 4 {
            case 0: request = Fixture.submit(100 + i, job: "a1", nonce: UInt32(i))            // stale
            case 1: request = Fixture.submit(100 + i, job: "gone", nonce: UInt32(i))          // job not found
            case 2: request = Fixture.submit(100 + i, job: "b1", nonce: 7)                    // duplicate after the first
            default: request = Fixture.request(100 + i, "mining.unknown_method", [])           // unknown method
            }
            let actions = s.handle(request, now: Fixture.t0)
            #expect(!closes(actions), "closed after \(i) rejects")
            if let code = actions.response?.error?.code { sawRejects.insert(code) }
            let low = hard.handle(Fixture.submit(5000 + i, job: "a1", nonce: UInt32(i)), now: Fixture.t0)
            #expect(!closes(low))
        }
        #expect(sawRejects.isSuperset(of: [20, 21, 22]))
        #expect(hard.stats.rejected[.lowDifficulty, default: 0] > 900)
    }

    @Test("100 malformed requests in a row close the connection; a usable one resets the count")
    func malformedCloses() {
        var s = Fixture.readySession()
        let bad = Fixture.request(9, "mining.submit", [.string("x")])  // unusable params
        for _ in 0..<(StratumSession.maximumConsecutiveErrors - 1) { #expect(!closes(s.handle(bad, now: Fixture.t0))) }
        _ = s.handle(Fixture.submit(10, job: "a1", nonce: 42), now: Fixture.t0)  // usable: resets
        for _ in 0..<(StratumSession.maximumConsecutiveErrors - 1) { #expect(!closes(s.handle(bad, now: Fixture.t0))) }
        #expect(closes(s.handle(bad, now: Fixture.t0)))
        var t = Fixture.readySession()
        var closed = false
        for _ in 0..<StratumSession.maximumConsecutiveErrors {
            closed = closes(t.handle(invalid: StratumRequestError(id: .null, reason: .notAnObject), now: Fixture.t0)) || closed
        }
        #expect(closed, "lines that are not requests count too")
    }
}
