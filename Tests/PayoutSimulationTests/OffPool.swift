import Foundation

/// Runs CPU-bound simulation work on a thread of its own instead of a thread of the
/// shared Swift concurrency pool: the suite runs in parallel with loopback network tests
/// whose peers, servers and timeouts need those (two, on a 2-core machine) threads.
func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.stackSize = 16 << 20
        thread.start()
    }
}
