import Benchmark
import BitcoinPrimitives
import Ed25519
import Sharechain
import SharechainTestSupport
import TIDES

/// A chain of `count` valid shares from `payees` miners, mined on the trivial test targets.
func makeShares(count: Int, payees: Int) -> [WireShare] {
    var chain = Sharechain(parameters: testParameters())
    let factory = ShareFactory()
    var out: [WireShare] = []
    out.reserveCapacity(count)
    var parent: ShareHash?
    for i in 0..<count {
        let s = factory.make(on: &chain, parent: parent, timestamp: 1_700_000_000 + UInt64(i) * 10,
                             script: payout(UInt8(i % payees)))
        let v = try! chain.validate(s, now: 2_000_000_000)
        chain.insert(v.summary)
        out.append(s)
        parent = s.hash
    }
    return out
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           maxDuration: .seconds(5), maxIterations: 1_000_000)

    // Validation on top of the best tip, one core: signature, PoW, ASERT, TIDES split
    // (≈ 100 payees), coinbase rebuild and merkle branch. Target ≥ 20,000/s.
    Benchmark("Share validation + insert (100 payees)",
              configuration: .init(scalingFactor: .kilo, maxIterations: 10)) { benchmark in
        let shares = makeShares(count: 2_000, payees: 100)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var chain = Sharechain(parameters: testParameters())
            for s in shares.prefix(1000) {
                let v = try! chain.validate(s, now: 2_000_000_000)
                chain.insert(v.summary)
            }
        }
    }

    // Issue 17: sync applies a received batch with its signatures checked ahead on the other
    // core(s) (`SignatureBatch`, one helper per extra core); the chain rules run in order here.
    // Target ≥ 1.7 × the one-core rate above.
    Benchmark("Share validation + insert, sync batches of 250, signatures ahead on helper threads",
              configuration: .init(scalingFactor: .kilo, maxIterations: 10)) { benchmark in
        let shares = makeShares(count: 2_000, payees: 100)
        let batch = Array(shares.prefix(1000))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var chain = Sharechain(parameters: testParameters())
            for start in stride(from: 0, to: batch.count, by: 250) {
                let run = Array(batch[start..<min(start + 250, batch.count)])
                let signatures = SignatureBatch(run, helperThreads: SignatureBatch.defaultHelperThreads)
                for (i, s) in run.enumerated() {
                    let v = try! chain.validate(s, now: 2_000_000_000, signatureVerdict: { signatures.verdict(at: i) })
                    chain.insert(v.summary)
                }
                signatures.cancel()
            }
        }
    }

    // The rest of validation without the signature (what the one-core rate pays on top of it).
    Benchmark("Share validation + insert without the signature check (verdict given)",
              configuration: .init(scalingFactor: .kilo, maxIterations: 10)) { benchmark in
        let shares = makeShares(count: 2_000, payees: 100)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var chain = Sharechain(parameters: testParameters())
            for s in shares.prefix(1000) {
                let v = try! chain.validate(s, now: 2_000_000_000, signatureVerdict: { true })
                chain.insert(v.summary)
            }
        }
    }

    Benchmark("Ed25519 verify (libsodium, physical limit)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let key = SigningKey(rawRepresentation: [UInt8](repeating: 3, count: 32))!
        let message = [UInt8](repeating: 7, count: 49)
        let sig = key.sign(message)
        for _ in benchmark.scaledIterations {
            blackHole(key.publicKey.isValidSignature(sig, for: message))
        }
    }

    // Replay: index + fork choice + TIDES window from stored summaries (the store's
    // read cost is in the Store benchmarks). Target ≥ 500,000 shares/s with the store.
    Benchmark("Replay 1,000,000 summaries into the chain (index + window)",
              configuration: .init(metrics: [.wallClock, .throughput, .peakMemoryResident], maxIterations: 3)) { benchmark in
        var summaries: [ShareSummary] = []
        summaries.reserveCapacity(1_000_000)
        var prev = ShareHash.none
        for i in 0..<1_000_000 {
            var w = ByteWriter()
            w.writeLittleEndian(UInt64(i))
            let hash = ShareHash(rawHash: SHA256d.hash(w.bytes))
            summaries.append(ShareSummary(hash: hash, previousShare: prev, height: UInt32(i),
                                          bits: CompactTarget(rawValue: 0x207f_ffff), timestamp: 1_700_000_000 + UInt64(i) * 10,
                                          payoutScript: payout(UInt8(i % 200)), sequence: UInt64(i)))
            prev = hash
        }
        let store = MemoryShareStore()
        _ = store  // the in-memory store's sort would dominate; insert directly
        benchmark.startMeasurement()
        var chain = Sharechain(parameters: testParameters())
        for s in summaries { chain.insert(s) }
        blackHole(chain.split(parentOfBest: ()))
    }
}

extension Sharechain {
    /// Forces the window to the best tip (what replay does at its end).
    fileprivate mutating func split(parentOfBest: Void) -> Int {
        (try? split(parent: bestTip, payoutScript: payout(1), bits: CompactTarget(rawValue: 0x207f_ffff),
                    networkTarget: try! CompactTarget(rawValue: 0x1d00_ffff).target(),
                    reward: Amount(satoshis: 312_500_000 as Int64)!))?.outputs.count ?? 0
    }
}
