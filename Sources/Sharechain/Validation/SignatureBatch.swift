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
        header.isSigned(by: signature, hash: header.hash)
    }
}

/// Ed25519 signatures of a run of shares checked ahead of the chain rules by a
/// `SignatureChecker`'s helper threads (issue 17: sync uses both cores).
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
    let shares: [WireShare]
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Signalled whenever a helper records a verdict (the caller may be waiting for it).
    private let finished: UnsafeMutablePointer<pthread_cond_t>
    /// The checker this batch started for itself (`init(_:helperThreads:)`): its threads stop
    /// when the batch goes.
    private var ownChecker: SignatureChecker?

    /// A batch no helper works on until a `SignatureChecker` takes it.
    init(_ shares: [WireShare]) {
        self.shares = shares
        states = [UInt8](repeating: 0, count: shares.count)
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        finished = .allocate(capacity: 1)
        pthread_cond_init(finished, nil)
    }

    /// A batch checked by `helperThreads` threads of its own (0: every verdict is computed by
    /// `verdict(at:)`). A node keeps one `SignatureChecker` instead.
    public convenience init(_ shares: [WireShare], helperThreads: Int) {
        self.init(shares)
        let helpers = min(max(0, helperThreads), shares.count)
        if helpers > 0 {
            let checker = SignatureChecker(helperThreads: helpers)
            ownChecker = checker
            checker.enqueue(self)
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

    /// Whether this batch holds exactly `other`'s shares (same headers, same signatures), so
    /// its verdicts are theirs.
    func holds(_ other: [WireShare]) -> Bool {
        guard other.count == shares.count else { return false }
        for (a, b) in zip(shares, other) where a.signature != b.signature || a.header != b.header { return false }
        return true
    }

    /// For a helper: the next share no one has claimed (now claimed by the helper), or nil
    /// when every share is claimed or the batch was cancelled.
    func claimNext() -> Int? {
        locked {
            while cursor < states.count && states[cursor] != 0 { cursor += 1 }
            guard !cancelled, cursor < states.count else { return nil }
            states[cursor] = 1
            cursor += 1
            return cursor - 1
        }
    }

    /// Records a helper's verdict on share `i`.
    func record(_ i: Int, valid: Bool) {
        locked {
            states[i] = valid ? 2 : 3
            pthread_cond_broadcast(finished)
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
                record(j, valid: valid)
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
