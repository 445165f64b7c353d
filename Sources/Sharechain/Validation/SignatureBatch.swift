import Dispatch
import Ed25519

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension WireShare {
    /// Whether `signature` is the node key's Ed25519 signature of the header's signing
    /// message: the signature rule of `Sharechain.validate` (≈ 41 µs, libsodium).
    public var hasValidSignature: Bool {
        header.nodeKey.isValidSignature(signature, for: ShareHeader.signingMessage(for: header.hash))
    }
}

/// Ed25519 signatures of a batch of shares checked ahead of the chain rules, on helper
/// threads (issue 17: sync uses both cores).
///
/// The helpers claim shares in order and record each verdict; `verdict(at:)` returns the
/// recorded verdict or, when no helper has finished that share yet, checks it on the
/// calling thread. A verdict is `WireShare.hasValidSignature` of that share alone — a pure
/// function of its bytes — so it never depends on which thread computed it or when.
/// Call `cancel()` (or drop the object after reading the verdicts it needs) to stop the helpers.
public final class SignatureBatch: @unchecked Sendable {
    // Per share: 0 not claimed, 1 claimed by a helper, 2 valid, 3 invalid, 4 being checked by
    // a caller of `verdict(at:)`. Guarded by `mutex`; `finished` is broadcast on each verdict.
    private var states: [UInt8]
    private var cursor = 0
    private var cancelled = false
    private let shares: [WireShare]
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Signalled whenever a helper records a verdict (the caller may be waiting for it).
    private let finished: UnsafeMutablePointer<pthread_cond_t>

    /// Starts `helperThreads` helpers (0: every verdict is computed by `verdict(at:)`).
    public init(_ shares: [WireShare], helperThreads: Int) {
        self.shares = shares
        states = [UInt8](repeating: 0, count: shares.count)
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        finished = .allocate(capacity: 1)
        pthread_cond_init(finished, nil)
        let helpers = min(max(0, helperThreads), shares.count)
        // Dedicated threads, not the global dispatch queues: on Linux those are the Swift
        // concurrency pool (one thread per core), and a helper there would take the thread
        // the node's other tasks (peer messages, timers) need while a run is checked.
        for _ in 0..<helpers {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(self).toOpaque()
            let started = pthread_create(&thread, nil, { context in
                let batch = Unmanaged<SignatureBatch>.fromOpaque(context!).takeRetainedValue()
                batch.help()
                return nil
            }, context)
            if started == 0 {
                pthread_detach(thread)
            } else {
                Unmanaged<SignatureBatch>.fromOpaque(context).release()
            }
        }
    }

    deinit {
        pthread_cond_destroy(finished)
        finished.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Helpers a node should start beside the thread applying the chain: one per extra core.
    public static var defaultHelperThreads: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) - 1)
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    private func help() {
        while true {
            let next: Int? = locked {
                while cursor < states.count && states[cursor] != 0 { cursor += 1 }
                guard !cancelled, cursor < states.count else { return nil }
                states[cursor] = 1
                cursor += 1
                return cursor - 1
            }
            guard let i = next else { return }
            let valid = shares[i].hasValidSignature
            locked {
                states[i] = valid ? 2 : 3
                pthread_cond_broadcast(finished)
            }
        }
    }

    /// The signature verdict of share `i`: the helpers' if they finished it; checked here if
    /// no helper has claimed it. While a helper is still checking it, this thread checks the
    /// next unclaimed share instead of idling (or checking `i` a second time), then looks
    /// again: both cores stay busy, and the thread applying the chain, which also runs the
    /// other rules, takes fewer signatures than the helpers.
    public func verdict(at i: Int) -> Bool {
        while true {
            enum Step { case done(Bool), check(Int) }
            let step: Step = locked {
                while true {
                    switch states[i] {
                    case 2: return .done(true)
                    case 3: return .done(false)
                    case 0, 4:
                        // Unclaimed, or being checked by another caller: check it here.
                        states[i] = 4
                        return .check(i)
                    default:
                        if cancelled { return .check(i) }
                        while cursor < states.count && states[cursor] != 0 { cursor += 1 }
                        if cursor < states.count {
                            states[cursor] = 4
                            cursor += 1
                            return .check(cursor - 1)
                        }
                        pthread_cond_wait(finished, mutex)
                    }
                }
            }
            switch step {
            case .done(let valid):
                return valid
            case .check(let j):
                let valid = shares[j].hasValidSignature
                locked {
                    states[j] = valid ? 2 : 3
                    pthread_cond_broadcast(finished)
                }
                if j == i { return valid }
            }
        }
    }

    /// Stops the helpers after the share each is checking (does not wait for them).
    public func cancel() {
        locked {
            cancelled = true
            pthread_cond_broadcast(finished)
        }
    }

    /// Every share's signature verdict, in order, using `threads` threads in all (the
    /// calling one included).
    public static func verify(_ shares: [WireShare], threads: Int) -> [Bool] {
        let batch = SignatureBatch(shares, helperThreads: threads - 1)
        defer { batch.cancel() }
        return shares.indices.map { batch.verdict(at: $0) }
    }
}
