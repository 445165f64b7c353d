import BitcoinPrimitives
import Foundation
import Logging
import NIOCore
import NIOPosix
import Sharechain
import StratumProtocol
import StratumServer
import Synchronization
import TIDES

/// The server side: a StratumServer with K payout scripts, a child process of miners,
/// and `rounds` clean publishes while the miners submit.
struct LoadDriver {
    let connections: Int
    let duration: Int
    let rate: Double
    let addresses: Int
    let rounds: Int
    let clientThreads: Int

    init(options: Options) {
        connections = options.int("connections", 1000)
        duration = options.int("duration", 20)
        rate = options.double("rate", 15)
        addresses = options.int("addresses", 10)
        rounds = options.int("rounds", 5)
        clientThreads = options.int("client-threads", 2)
    }

    /// Jobs for every payout script; the difficulty is fixed at the smallest (2^-32),
    /// so a miner needs about one hash per pseudo-share and the measurement is the
    /// server, not the grinding. One pseudo-share in 64 is a sharechain share.
    /// One job per address; the load client's user agent is unknown firmware, so its
    /// connections get the safest coinbase class.
    static func jobs(round: Int, addresses: Int) -> [JobKey: MiningJob] {
        var jobs: [JobKey: MiningJob] = [:]
        let target = StratumDifficulty(raw: 1).target
        for i in 0..<addresses {
            let script = loadAddress(i).scriptPubKey
            let template = try! CoinbaseTemplate(
                bitcoinHeight: 800_000 + round, coinbaseValue: Amount(satoshis: 312_500_000 as Int64)!,
                witnessCommitment: Script(), nodeTag: Array("/tidepool/".utf8),
                payouts: [PayoutEntry(script: script, amount: Amount(satoshis: 312_500_000 as Int64)!)],
                shareHash: ShareHash(rawHash: SHA256d.hash(Array("round \(round) \(i)".utf8))))
            let now = UInt32(Date().timeIntervalSince1970)
            jobs[JobKey(payoutScript: script, coinbaseSizeClass: .safest)] = MiningJob(
                id: "r\(round)", payoutScript: script,
                prevBlockHash: BlockHash(rawHash: SHA256d.hash(Array("block \(round)".utf8))),
                coinbase: template.stratumCoinbase,
                merkleBranch: (0..<12).map { SHA256d.hash([UInt8($0)]) },
                version: 0x2000_0000, bits: CompactTarget(rawValue: 0x1703_4219), ntime: now, mintime: now - 3600,
                shareTarget: target >> 6, bitcoinTarget: .zero, clean: true)
        }
        return jobs
    }

    final class Work: StratumWorkSource, StratumSubmissionSink {
        let current = Mutex<[JobKey: MiningJob]>([:])
        let shares = Atomic<Int>(0)
        func job(for key: JobKey) async -> MiningJob? { current.withLock { $0[key] } }
        func submitBlock(_ submission: StratumSubmission) {}
        func submitShare(_ submission: StratumSubmission) async -> SubmitOutcome? {
            shares.add(1, ordering: .relaxed)
            return nil
        }
    }

    func run() async throws {
        let work = Work()
        work.current.withLock { $0 = Self.jobs(round: 0, addresses: addresses) }
        var policy = VardiffPolicy.standard(for: .devnet)
        policy.initial = StratumDifficulty(raw: 1)
        policy.minimum = StratumDifficulty(raw: 1)
        policy.maximum = StratumDifficulty(raw: 1)
        var logger = Logger(label: "stratum-load")
        logger.logLevel = .warning
        let server = StratumServer(configuration: StratumServerConfiguration(
            host: "127.0.0.1", port: 0, network: .devnet, vardiff: policy), workSource: work, sink: work, logger: logger)
        let port = try await server.bind().port!
        let serverTask = Task { try await server.run() }

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["client", "--port", "\(port)", "--connections", "\(connections)", "--duration", "\(duration)",
                           "--rate", "\(rate)", "--addresses", "\(addresses)", "--rounds", "\(rounds)",
                           "--client-threads", "\(clientThreads)"]
        let output = Pipe()
        child.standardOutput = output
        let lines = AsyncStream<String> { continuation in
            let handle = output.fileHandleForReading
            Thread.detachNewThread {
                var pending = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    pending.append(chunk)
                    while let nl = pending.firstIndex(of: 0x0a) {
                        continuation.yield(String(decoding: pending[pending.startIndex..<nl], as: UTF8.self))
                        pending.removeSubrange(pending.startIndex...nl)
                    }
                }
                continuation.finish()
            }
        }
        try child.run()
        print("stratum-load: \(connections) connections, \(addresses) payout addresses, \(rate) submits/min each, "
              + "\(duration) s, server on 127.0.0.1:\(port) (pid \(getpid())), miners in pid \(child.processIdentifier)")

        var publishTimes: [Int: UInt64] = [:]
        var publisher: Task<[Int: UInt64], Never>?
        for await line in lines {
            if line.hasPrefix("READY") {
                print("server: \(server.connectionCount) connections ready (\(line))")
                let rounds = self.rounds, addresses = self.addresses, duration = self.duration
                publisher = Task {
                    var times: [Int: UInt64] = [:]
                    let gap = Double(duration) / Double(rounds + 1)
                    for round in 1...rounds {
                        try? await Task.sleep(for: .seconds(gap))
                        let jobs = Self.jobs(round: round, addresses: addresses)
                        work.current.withLock { $0 = jobs }
                        let cpu0 = processCPUNanoseconds()
                        let t0 = monotonicNanoseconds()
                        server.publish(jobs: jobs, clean: true)
                        times[round] = t0
                        // Event loops run tasks in order: once a no-op queued after the
                        // deliveries has run on every loop, the server has written them all.
                        for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
                            try? await loop.submit {}.get()
                        }
                        print("publish round \(round): server wrote every notify after \(ms(monotonicNanoseconds() - t0)), "
                              + "using \(ms(processCPUNanoseconds() - cpu0)) of server CPU")
                    }
                    return times
                }
            } else if line.hasPrefix("NOTIFY") {
                // NOTIFY round lastReceivedNs firstReceivedNs
                if publishTimes.isEmpty, let publisher { publishTimes = await publisher.value }
                let f = line.split(separator: " ")
                if let round = Int(f[1]), let last = UInt64(f[2]), let first = UInt64(f[3]), let t0 = publishTimes[round] {
                    print("publish round \(round): first notify after \(ms(first &- t0)), "
                          + "last of \(connections) after \(ms(last &- t0))")
                }
            } else {
                print(line)
            }
        }
        child.waitUntilExit()
        print("server: sharechain shares handed to the sink: \(work.shares.load(ordering: .relaxed))")
        serverTask.cancel()
        _ = await serverTask.result
    }
}
