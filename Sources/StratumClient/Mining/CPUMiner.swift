import BitcoinPrimitives
import Foundation
import NIOConcurrencyHelpers
import Synchronization

/// Grinds nonces on N threads. Thread `i` of `n` takes the extranonce2 values
/// `i, i + n, i + 2n, …` (so no two threads ever hash the same header) and all 2³²
/// nonces of each; when extranonce2 has no room for that split, thread `i` takes the
/// nonces `≡ i (mod n)` instead. Every header whose hash meets the work's target is
/// handed to `onSolution`, from the finding thread.
public final class CPUMiner: Sendable {
    /// Hashes between checks for new work (a few milliseconds on one core).
    static let batch: UInt32 = 4096

    private let threadCount: Int
    private let onSolution: @Sendable (MiningSolution) -> Void
    private let work = NIOLockedValueBox<MiningWork?>(nil)
    private let generation = Atomic<UInt64>(0)
    private let hashes = Atomic<UInt64>(0)
    private let stopped = Atomic<Bool>(false)
    private let running = Atomic<Int>(0)

    /// A miner with `threads` hashing threads (at least one); call `start()`.
    public init(threads: Int, onSolution: @escaping @Sendable (MiningSolution) -> Void) {
        self.threadCount = max(1, threads)
        self.onSolution = onSolution
    }

    /// Hashes computed so far.
    public var hashCount: UInt64 { hashes.load(ordering: .relaxed) }

    /// Threads still running.
    public var runningThreads: Int { running.load(ordering: .acquiring) }

    /// Starts the threads; they idle until `update(_:)` gives them work.
    public func start() {
        for index in 0..<threadCount {
            running.add(1, ordering: .releasing)
            let thread = Thread { [self] in
                grind(index: index)
                running.subtract(1, ordering: .releasing)
            }
            thread.name = "tidepool-mine-\(index)"
            thread.start()
        }
    }

    /// Replaces the work; nil pauses the threads.
    public func update(_ newWork: MiningWork?) {
        work.withLockedValue { $0 = newWork }
        generation.add(1, ordering: .releasing)
    }

    /// Asks the threads to end (they finish their current batch).
    public func stop() {
        stopped.store(true, ordering: .releasing)
        generation.add(1, ordering: .releasing)
    }

    private func grind(index: Int) {
        var seen = UInt64.max
        var current: MiningWork?
        var counter: UInt64 = 0
        while !stopped.load(ordering: .acquiring) {
            let g = generation.load(ordering: .acquiring)
            if g != seen {
                seen = g
                current = work.withLockedValue { $0 }
                counter = UInt64(index)
            }
            guard let w = current else {
                Thread.sleep(forTimeInterval: 0.02)
                continue
            }
            let splitNonces = w.extranonce2Size < 8
                && (UInt64(1) << (8 * UInt64(w.extranonce2Size))) <= UInt64(threadCount)
            let extranonce2 = w.extranonce2(splitNonces ? 0 : counter)
            counter += UInt64(threadCount)
            let finished = sweep(w, extranonce2: extranonce2,
                                 firstNonce: splitNonces ? UInt32(index) : 0,
                                 step: splitNonces ? UInt32(threadCount) : 1, generation: g)
            if !finished { continue }  // new work arrived
            if splitNonces {  // the whole space of this extranonce2 is done: wait for new work
                while generation.load(ordering: .acquiring) == g, !stopped.load(ordering: .acquiring) {
                    Thread.sleep(forTimeInterval: 0.02)
                }
            }
        }
    }

    /// Hashes every nonce `firstNonce + k × step` of one extranonce2; false when
    /// interrupted by new work or stop.
    private func sweep(_ w: MiningWork, extranonce2: [UInt8], firstNonce: UInt32, step: UInt32, generation g: UInt64) -> Bool {
        var header = w.job.header(extranonce1: w.extranonce1, extranonce2: extranonce2, nonce: firstNonce)
        var nonce = firstNonce
        while true {
            var done: UInt32 = 0
            while done < Self.batch {
                header.nonce = nonce
                let hash = header.hash
                if hash.rawHash.asUInt256 <= w.target {
                    onSolution(MiningSolution(jobID: w.job.jobID, extranonce2: extranonce2, time: header.time,
                                              nonce: nonce, generation: w.generation, hash: hash))
                }
                done += 1
                let (next, overflow) = nonce.addingReportingOverflow(step)
                if overflow {
                    hashes.add(UInt64(done), ordering: .relaxed)
                    return true
                }
                nonce = next
            }
            hashes.add(UInt64(done), ordering: .relaxed)
            if generation.load(ordering: .acquiring) != g || stopped.load(ordering: .acquiring) { return false }
        }
    }
}
