#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Helper threads that check the Ed25519 signatures of received runs of shares ahead of the
/// chain rules, for as long as the checker lives (issue 17: sync uses both cores).
///
/// A node owns one. When a run arrives from the network, `prepare(_:)` queues its
/// signatures at once, on the receiving thread, so the helpers work on it while the chain
/// is still applying the run before it; when the chain reaches the run, `batch(for:)` hands
/// back that prepared batch (or queues a new one). The helpers take batches in arrival
/// order, shares in run order.
///
/// Dedicated threads, not the global dispatch queues: on Linux those are the Swift
/// concurrency pool (one thread per core), and a helper there would take the thread the
/// node's other tasks (peer messages, timers) need while a run is checked. The threads start
/// with the first batch and stop when the checker is released.
public final class SignatureChecker: @unchecked Sendable {
    private let pool: Pool

    /// Prepared runs kept until the chain asks for them; older ones are cancelled. Bounds
    /// the work and memory a peer can cause with runs the chain never applies.
    public static let preparedCapacity = 8

    /// A checker with `helperThreads` threads (at least one).
    public init(helperThreads: Int) {
        pool = Pool(threads: max(1, helperThreads))
    }

    deinit { pool.stop() }

    /// The number of helper threads.
    public var helperThreads: Int { pool.threads }

    /// Starts checking `shares`' signatures now; a later `batch(for:)` with the same shares
    /// returns the verdicts found meanwhile. Cheap: it only queues the run.
    public func prepare(_ shares: [WireShare]) {
        guard !shares.isEmpty else { return }
        pool.prepare(SignatureBatch(shares))
    }

    /// The batch of `shares`' verdicts: the one `prepare(_:)` started for exactly these
    /// shares, else a new one queued now. Cancel it when the run is applied.
    public func batch(for shares: [WireShare]) -> SignatureBatch {
        if let prepared = pool.takePrepared(matching: shares) { return prepared }
        let batch = SignatureBatch(shares)
        pool.enqueue(batch)
        return batch
    }

    /// Queues `batch` for the helpers.
    func enqueue(_ batch: SignatureBatch) { pool.enqueue(batch) }

    /// The shared state of the helper threads (they keep it alive, not the checker).
    private final class Pool: @unchecked Sendable {
        let threads: Int
        private var started = false
        private var stopping = false
        /// Batches with shares no helper has claimed yet, oldest first.
        private var queue: [SignatureBatch] = []
        /// Batches `prepare` started that the chain has not asked for yet, oldest first.
        private var prepared: [SignatureBatch] = []
        private let mutex: UnsafeMutablePointer<pthread_mutex_t>
        private let work: UnsafeMutablePointer<pthread_cond_t>

        init(threads: Int) {
            self.threads = threads
            mutex = .allocate(capacity: 1)
            pthread_mutex_init(mutex, nil)
            work = .allocate(capacity: 1)
            pthread_cond_init(work, nil)
        }

        deinit {
            pthread_cond_destroy(work)
            work.deallocate()
            pthread_mutex_destroy(mutex)
            mutex.deallocate()
        }

        private func locked<T>(_ body: () -> T) -> T {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return body()
        }

        func enqueue(_ batch: SignatureBatch) {
            locked {
                queue.append(batch)
                startIfNeeded()
                pthread_cond_broadcast(work)
            }
        }

        func prepare(_ batch: SignatureBatch) {
            let evicted: SignatureBatch? = locked {
                prepared.append(batch)
                queue.append(batch)
                startIfNeeded()
                pthread_cond_broadcast(work)
                return prepared.count > SignatureChecker.preparedCapacity ? prepared.removeFirst() : nil
            }
            evicted?.cancel()
        }

        func takePrepared(matching shares: [WireShare]) -> SignatureBatch? {
            locked {
                guard let i = prepared.firstIndex(where: { $0.holds(shares) }) else { return nil }
                return prepared.remove(at: i)
            }
        }

        func stop() {
            let dropped: [SignatureBatch] = locked {
                stopping = true
                pthread_cond_broadcast(work)
                defer { prepared = [] }
                return prepared
            }
            for batch in dropped { batch.cancel() }
        }

        /// Called with the mutex held.
        private func startIfNeeded() {
            guard !started else { return }
            started = true
            for _ in 0..<threads {
                var thread = pthread_t()
                let context = Unmanaged.passRetained(self).toOpaque()
                let created = pthread_create(&thread, nil, { context in
                    let pool = Unmanaged<Pool>.fromOpaque(context!).takeRetainedValue()
                    pool.help()
                    return nil
                }, context)
                if created == 0 {
                    pthread_detach(thread)
                } else {
                    Unmanaged<Pool>.fromOpaque(context).release()
                }
            }
        }

        /// A helper thread: claims the oldest unclaimed signature, checks it, records it.
        private func help() {
            pthread_mutex_lock(mutex)
            while !stopping {
                var claimed: (SignatureBatch, Int)?
                while let first = queue.first {
                    if let i = first.claimNext() {
                        claimed = (first, i)
                        break
                    }
                    queue.removeFirst()
                }
                guard let (batch, i) = claimed else {
                    pthread_cond_wait(work, mutex)
                    continue
                }
                pthread_mutex_unlock(mutex)
                batch.record(i, valid: batch.shares[i].hasValidSignature)
                pthread_mutex_lock(mutex)
            }
            pthread_mutex_unlock(mutex)
        }
    }
}
