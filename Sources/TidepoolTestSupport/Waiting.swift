import NIOConcurrencyHelpers

/// A wait in a test that ran out of time.
public struct TimedOut: Error, CustomStringConvertible {
    /// What was waited for.
    public var what: String
    public init(what: String) { self.what = what }
    public var description: String { "timed out waiting for \(what)" }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes (then throws `TimedOut`).
public func eventually(_ what: String, timeout: Duration = .seconds(20), _ condition: () async -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TimedOut(what: what)
}

/// Runs `body` and returns its result, failing with `TimedOut` after `limit` without
/// waiting for `body` to notice (a future that never completes must fail the test, not
/// hang the run); `body` is cancelled then.
public func withTimeout<T: Sendable>(_ limit: Duration, _ what: String = "operation",
                                     _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = NIOLockedValueBox<Result<T, any Error>?>(nil)
    let task = Task {
        do {
            let value = try await body()
            outcome.withLockedValue { $0 = .success(value) }
        } catch {
            outcome.withLockedValue { $0 = .failure(error) }
        }
    }
    do {
        try await eventually(what, timeout: limit) { outcome.withLockedValue { $0 != nil } }
    } catch {
        task.cancel()
        throw error
    }
    guard let result = outcome.withLockedValue({ $0 }) else { throw TimedOut(what: what) }
    return try result.get()
}

/// `withTimeout` with the limit in seconds.
public func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withTimeout(.milliseconds(Int(seconds * 1000)), "operation", body)
}
