import BitcoinPrimitives
import Testing

@Suite("Token bucket (exact, injected time)")
struct TokenBucketTests {
    /// Takes from `bucket` and reports whether it could (`#expect` cannot call a mutating method).
    func take(_ bucket: inout TokenBucket, _ count: Int64 = 1, at now: Duration) -> Bool {
        bucket.take(count, at: now)
    }

    @Test func aFullBucketAllowsItsCapacityAtOnce() {
        var b = TokenBucket(capacity: 5, perSecond: 1)
        for _ in 0..<5 { let taken = take(&b, at: .zero); #expect(taken) }
        let sixth = take(&b, at: .zero)
        #expect(!sixth)
        #expect(b.available == 0)
    }

    @Test func refillsExactlyWithElapsedTime() {
        var b = TokenBucket(capacity: 10, perSecond: 200)
        var results: [Bool] = []
        results.append(take(&b, 10, at: .zero))
        results.append(take(&b, at: .milliseconds(4)))    // 0.8 of a token: no
        results.append(take(&b, at: .milliseconds(5)))    // 1.0: yes
        results.append(take(&b, at: .milliseconds(5)))    // none left: no
        results.append(take(&b, 2, at: .milliseconds(15))) // 2.0 more: yes
        results.append(take(&b, 10, at: .seconds(100)))   // saturates at the capacity: yes
        results.append(take(&b, at: .seconds(100)))       // no
        #expect(results == [true, false, true, false, true, true, false])
    }

    @Test func fractionalRatesAreExact() {
        // 0.1 per second: one token every 10 s.
        var b = TokenBucket(capacity: 1, refill: 1, every: .seconds(10))
        let results = [take(&b, at: .zero), take(&b, at: .milliseconds(9_999)), take(&b, at: .seconds(10))]
        #expect(results == [true, false, true])
    }

    @Test func aTakeTooLargeTakesNothing() {
        var b = TokenBucket(capacity: 4, perSecond: 1)
        let results = [take(&b, 5, at: .zero), take(&b, 4, at: .zero),
                       take(&b, Int64.max, at: .seconds(1)), take(&b, -1, at: .seconds(1))]
        #expect(results == [false, true, false, false])
        #expect(b.available == 1)
    }

    @Test func timeRunningBackwardsRefillsNothing() {
        var b = TokenBucket(capacity: 2, perSecond: 1)
        let results = [take(&b, 2, at: .seconds(10)),
                       take(&b, at: .seconds(5)),             // earlier: nothing added, not remembered
                       take(&b, at: .milliseconds(10_500)),   // half a token since 10 s
                       take(&b, at: .seconds(11))]
        #expect(results == [true, false, false, true])
    }
}
