import BitcoinPrimitives
import Sharechain
import Testing
@testable import StratumProtocol

/// Issue "Consensus and network hardening", item 13: bounded work and memory per
/// Stratum connection (Docs/SECURITY.md, "Stratum").
@Suite("Stratum: abusive clients are bounded")
struct SessionAbuseTests {
    /// Every hash is a pseudo-share and vardiff never moves (no job re-sends).
    static let fixed = VardiffPolicy(initial: StratumDifficulty(raw: 1), minimum: StratumDifficulty(raw: 1),
                                     maximum: StratumDifficulty(raw: 1), wholeNumbersOnly: false)

    func closes(_ actions: [StratumAction]) -> Bool {
        actions.contains { if case .close = $0 { return true } else { return false } }
    }

    @Test("a flood of well-formed requests is answered with a rate-limit error, not hashed, and closed")
    func floodIsRateLimitedAndClosed() {
        var s = Fixture.readySession(policy: Self.fixed)
        let budget = Int(RequestRateLimit.stratumRequests.capacity)
        var limited = 0
        var closedAt: Int?
        // 1.9 M requests in 10 s was the measured flood; here 2,000 at one instant.
        for i in 0..<2_000 {
            let actions = s.handle(Fixture.submit(10 + i, job: "a1", nonce: UInt32(i)), now: Fixture.t0)
            if actions.response?.error?.message.hasPrefix("Rate limit") == true { limited += 1 }
            if closes(actions) { closedAt = i; break }
        }
        // The budget minus the set-up requests passed; then 100 limited requests closed it.
        #expect(limited == StratumSession.maximumConsecutiveErrors)
        #expect(closedAt == budget - 3 + StratumSession.maximumConsecutiveErrors - 1)
        // Rate-limited submits were never hashed or counted.
        #expect(s.stats.accepted + s.stats.rejected.values.reduce(0, +) <= UInt64(budget))
    }

    @Test("the budget refills with time: a steady 100 requests per second is never limited")
    func steadyRateIsFine() {
        var s = Fixture.readySession()
        for i in 0..<5_000 {
            let now = Fixture.t0 + .milliseconds(10 * i)
            let actions = s.handle(Fixture.request(10 + i, "mining.extranonce.subscribe", []), now: now)
            #expect(actions.response?.error == nil, "request \(i) was limited")
        }
    }

    @Test("cheap valid requests between malformed ones do not reset the close count")
    func alternatingDoesNotReset() {
        var s = Fixture.readySession()
        let bad = Fixture.request(9, "mining.submit", [.string("x")])
        var closed = false
        for i in 0..<StratumSession.maximumConsecutiveErrors {
            let now = Fixture.t0 + .milliseconds(20 * i)
            closed = closes(s.handle(bad, now: now)) || closed
            _ = s.handle(Fixture.request(100 + i, "mining.extranonce.subscribe", []), now: now)
            _ = s.handle(Fixture.request(200 + i, "mining.suggest_difficulty", [.number("1")]), now: now)
        }
        #expect(closed)
    }

    @Test("a suggestion that lowers the difficulty applies at most once per interval")
    func loweringSuggestionsAreRateLimited() {
        var s = Fixture.readySession()
        func suggest(_ d: String, _ t: Duration) -> StratumDifficulty {
            _ = s.handle(Fixture.request(50, "mining.suggest_difficulty", [.number(d)]), now: Fixture.t0 + t)
            return s.difficulty
        }
        #expect(suggest("64", .seconds(1)) == StratumDifficulty(64))
        #expect(suggest("1", .seconds(2)) == StratumDifficulty(1))      // the first lowering applies
        #expect(suggest("64", .seconds(3)) == StratumDifficulty(64))    // raising always applies
        #expect(suggest("1", .seconds(4)) == StratumDifficulty(64))     // lowering again: not yet
        #expect(suggest("2", .seconds(5)) == StratumDifficulty(64))
        let later = StratumSession.suggestionLowerInterval + .seconds(3)
        #expect(suggest("1", later) == StratumDifficulty(1))           // after the interval
    }

    @Test("the duplicate check remembers a bounded number of submissions")
    func duplicateMemoryIsBounded() {
        var s = Fixture.readySession(policy: Self.fixed)
        let n = StratumSession.rememberedSubmissions
        for i in 0..<(n + 500) {
            let actions = s.handle(Fixture.submit(10 + i, job: "a1", nonce: UInt32(i)),
                                   now: Fixture.t0 + .milliseconds(10 * i))
            #expect(actions.response?.error == nil)
        }
        #expect(s.submittedHeaders.count == n)
        // The newest are still duplicates; the oldest were forgotten.
        let dup = s.handle(Fixture.submit(99_999, job: "a1", nonce: UInt32(n + 499)), now: Fixture.t0 + .seconds(60))
        #expect(dup.response?.error?.code == 22)
        let old = s.handle(Fixture.submit(99_998, job: "a1", nonce: 0), now: Fixture.t0 + .seconds(61))
        #expect(old.response?.error == nil)
    }
}
