import NIOConcurrencyHelpers

/// A value guarded by a pthread mutex (`NIOLock`), with typed throws.
///
/// Used instead of `Synchronization.Mutex`: on Linux that locks through futex calls in the
/// uninstrumented standard library, which ThreadSanitizer cannot see, so TSan would report
/// false races on everything it guards (Docs/SECURITY.md, "Sanitizers").
final class Locked<Value> {
    private let lock = NIOLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

extension Locked: @unchecked Sendable where Value: Sendable {}
