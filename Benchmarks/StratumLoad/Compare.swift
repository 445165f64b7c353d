#if canImport(Glibc)
import JSON
import Glibc
#endif
import BitcoinPrimitives
import BitcoinRPC
import Foundation
import NIOCore
import NIOPosix
import StratumProtocol
import Synchronization

// `stratum-load compare`: the same load against several running Stratum servers (e.g.
// ckpool and a `tidepool run` node on one regtest bitcoind), one server at a time,
// alternating, and the side-by-side ratios. Scripts/stratum-compare starts the servers.
//
//   stratum-load compare --target ckpool=127.0.0.1:3333 --target tidepool=127.0.0.1:3334
//       --bitcoind http://127.0.0.1:18443 --rpc-user U --rpc-password P
//       [--connections 1000] [--blocks 5] [--rounds 2] [--rate 20000] [--ceiling-rate 40000]
//       [--duration 10] [--pid ckpool=PID --pid tidepool=PID] [--per-ip 500]
//
// Per round and server: N miners connect (spread over 127.0.0.x source addresses,
// `--per-ip` each, since a node may cap connections per IP), subscribe and authorize
// with regtest addresses; then `--blocks` times the tool asks bitcoind for a block
// (`generatetoaddress`) and times, from just before that call, when each connection
// received a `mining.notify` on the new block (its prevhash); then the miners submit
// at `--rate` and at `--ceiling-rate` submits/s in total for `--duration` seconds each:
// pseudo-shares ground to hash above the network target (no blocks, no shares), so both
// servers do the same work for each: hash, judge, answer with a reject.

/// One compared server.
struct CompareTarget {
    var name: String
    var host: String
    var port: Int
    var pid: Int32?
}

/// What one server measured, over all rounds.
struct CompareResult {
    var fanout: [UInt64] = []
    var lastPerBlock: [UInt64] = []
    var missed = 0
    var submit: [SubmitMeasurement] = []
    var ceiling: [SubmitMeasurement] = []
    var rssKiB: [Int] = []
    var connectSeconds: [Double] = []
}

/// One submit phase's outcome.
struct SubmitMeasurement {
    var perSecond: Double
    var latencies: [UInt64]
    var accepted: Int
    var rejected: Int
}

/// State every compare miner of one phase shares.
final class CompareShared: Sendable {
    struct State {
        var ready = 0
        var arrivals: [String: [UInt64]] = [:]
        var latencies: [UInt64] = []
        var accepted = 0
        var rejected = 0
        var recording = false
    }
    let state = Mutex(State())
}

/// One compare miner: subscribe, authorize, remember the job; on a notify with a new
/// prevhash, record the arrival; submit on a timer when asked.
final class CompareMiner: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let username: String
    let shared: CompareShared
    var context: ChannelHandlerContext?
    var jobID: String?
    /// The current notify's params, parsed only when a submit needs them.
    var params: [JSONValue] = []
    var job: LoadMinerHandler.Job?
    var prev: String?
    var extranonce1: [UInt8] = []
    var extranonce2Size = 8
    var counter: UInt64 = 0
    var nextID = 100
    var outstanding: [Int64: UInt64] = [:]
    var timer: RepeatedTask?

    init(username: String, shared: CompareShared) {
        self.username = username
        self.shared = shared
    }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        send(#"{"id":1,"method":"mining.subscribe","params":["stratum-load/1"]}"#, context: context)
        send(#"{"id":2,"method":"mining.authorize","params":["\#(username)","x"]}"#, context: context)
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        self.context = nil
    }

    func send(_ line: String, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: line.utf8.count + 1)
        buffer.writeString(line)
        buffer.writeInteger(UInt8(0x0a))
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = monotonicNanoseconds()
        guard let message = try? JSONParser.parse(unwrapInboundIn(data).readableBytesView) else { return }
        if let method = message["method"]?.stringValue {
            guard method == "mining.notify", let p = message["params"]?.arrayValue, p.count >= 9,
                  let id = p[0].stringValue, let prevhash = p[1].stringValue else { return }
            let first = jobID == nil
            jobID = id
            params = p
            job = nil
            if prevhash != prev {
                prev = prevhash
                shared.state.withLock { s in
                    if first { s.ready += 1 }
                    s.arrivals[prevhash, default: []].append(now)
                }
            }
            return
        }
        guard let id = message["id"]?.int64Value else { return }
        if id == 1 {
            let result = message["result"]?.arrayValue ?? []
            if result.count >= 3, let size = result[2].int64Value { extranonce2Size = Int(size) }
            if result.count >= 2, let en1 = result[1].stringValue.flatMap({ Hex.decode($0) }) { extranonce1 = en1 }
        } else if let sent = outstanding.removeValue(forKey: id) {
            let ok = message["result"]?.boolValue == true
            shared.state.withLock { s in
                guard s.recording else { return }
                s.latencies.append(now - sent)
                if ok { s.accepted += 1 } else { s.rejected += 1 }
            }
        }
    }

    /// Submits every `interval` (first after a random part of it) until `deadline`.
    func startSubmitting(interval: TimeAmount, until deadline: NIODeadline) {
        guard let context else { return }
        timer?.cancel()
        let jitter = TimeAmount.nanoseconds(Int64.random(in: 0..<max(interval.nanoseconds, 1)))
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: jitter, delay: interval) { task in
            let miner = bound.value
            guard let context = miner.context, NIODeadline.now() < deadline else { task.cancel(); return }
            miner.submit(context: context)
        }
    }

    /// One pseudo-share that is neither a block nor a share: its header hash is above
    /// the network target (on regtest half of all hashes are blocks, so a random nonce
    /// would make both servers submit blocks by the thousand), hence also above any
    /// share target; both servers hash it, judge it and answer with a reject.
    func submit(context: ChannelHandlerContext) {
        guard let jobID else { return }
        if job == nil { job = LoadMinerHandler.parse(params) }
        guard let job, let networkTarget = try? job.bits.target() else { return }
        counter += 1
        let en2 = withUnsafeBytes(of: counter.bigEndian) { Array($0) }
        let padded = [UInt8](repeating: 0, count: max(0, extranonce2Size - 8)) + en2.suffix(min(8, extranonce2Size))
        let coinbase = job.coinb1 + extranonce1 + padded + job.coinb2
        let root = Merkle.root(coinbaseTxid: Txid(rawHash: SHA256d.hash(coinbase)), branch: job.branch)
        var header = BlockHeader(version: job.version, prevBlock: job.prev, merkleRoot: root, time: job.ntime,
                                 bits: job.bits, nonce: UInt32.random(in: 0...UInt32.max))
        while header.hash.rawHash.asUInt256 <= networkTarget { header.nonce &+= 1 }
        let id = Int64(nextID)
        nextID += 1
        outstanding[id] = monotonicNanoseconds()
        send(#"{"id":\#(id),"method":"mining.submit","params":["\#(username)","\#(jobID)","\#(Hex.encode(padded))","\#(MiningJob.hex32(job.ntime))","\#(MiningJob.hex32(header.nonce))"]}"#,
             context: context)
        context.flush()
    }
}

struct CompareDriver {
    let targets: [CompareTarget]
    let rpc: BitcoinRPCConfiguration
    let connections: Int
    let blocks: Int
    let rounds: Int
    let rate: Double
    let ceilingRate: Double
    let duration: Int
    let perIP: Int
    let threads: Int
    let addresses: Int

    init(arguments: ArraySlice<String>) throws {
        var targets: [CompareTarget] = []
        var pids: [String: Int32] = [:]
        var rest: [String] = []
        var i = arguments.startIndex
        while i < arguments.endIndex {
            let a = arguments[i]
            if (a == "--target" || a == "--pid"), i + 1 < arguments.endIndex {
                let value = arguments[i + 1]
                guard let eq = value.firstIndex(of: "=") else { throw CompareError.usage("\(a) NAME=VALUE") }
                let name = String(value[..<eq]), rhs = String(value[value.index(after: eq)...])
                if a == "--pid" {
                    pids[name] = Int32(rhs)
                } else {
                    guard let colon = rhs.lastIndex(of: ":"), let port = Int(rhs[rhs.index(after: colon)...]) else {
                        throw CompareError.usage("--target NAME=HOST:PORT")
                    }
                    targets.append(CompareTarget(name: name, host: String(rhs[..<colon]), port: port))
                }
                i += 2
            } else {
                rest.append(a)
                i += 1
            }
        }
        guard !targets.isEmpty else { throw CompareError.usage("at least one --target NAME=HOST:PORT") }
        self.targets = targets.map { var t = $0; t.pid = pids[t.name]; return t }
        let options = Options(rest[...])
        let url = options.string("bitcoind") ?? "http://127.0.0.1:18443"
        let credentials: RPCCredentials
        if let cookie = options.string("rpc-cookie") {
            credentials = .cookieFile(path: cookie)
        } else {
            credentials = .userPassword(user: options.string("rpc-user") ?? "", password: options.string("rpc-password") ?? "")
        }
        guard let rpc = BitcoinRPCConfiguration(url: url, credentials: credentials, network: .regtest) else {
            throw CompareError.usage("--bitcoind http://HOST:PORT")
        }
        self.rpc = rpc
        connections = options.int("connections", 1000)
        blocks = options.int("blocks", 5)
        rounds = options.int("rounds", 2)
        rate = options.double("rate", 20_000)
        ceilingRate = options.double("ceiling-rate", 0)
        duration = options.int("duration", 10)
        perIP = options.int("per-ip", 500)
        threads = options.int("client-threads", 2)
        addresses = options.int("addresses", 10)
    }

    func run() async throws {
        let bitcoind = BitcoinRPCClient(configuration: rpc)
        let payTo = loadAddress(999).encoded(for: .regtest)
        var results = [String: CompareResult]()
        print("stratum-load compare: \(connections) connections, \(blocks) blocks and submits at \(Int(rate))/s"
              + (ceilingRate > 0 ? " and \(Int(ceilingRate))/s" : "") + " for \(duration) s per server per round, "
              + "\(rounds) round(s), servers alternating: \(targets.map { "\($0.name)=\($0.host):\($0.port)" }.joined(separator: ", "))")
        for round in 0..<rounds {
            let order = round % 2 == 0 ? targets : targets.reversed()
            for target in order {
                var result = results[target.name] ?? CompareResult()
                try await phase(target, round: round, bitcoind: bitcoind, payTo: payTo, into: &result)
                results[target.name] = result
            }
        }
        await bitcoind.close()
        report(results)
    }

    private func phase(_ target: CompareTarget, round: Int, bitcoind: BitcoinRPCClient, payTo: String,
                       into result: inout CompareResult) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let shared = CompareShared()
        let usernames = (0..<addresses).map { loadAddress($0).encoded(for: .regtest) }
        let started = monotonicNanoseconds()
        var channels: [any Channel] = []
        var miners: [NIOLoopBound<CompareMiner>] = []
        let batch = 500
        for start in stride(from: 0, to: connections, by: batch) {
            let made = try await withThrowingTaskGroup(of: (any Channel, NIOLoopBound<CompareMiner>).self) { tasks in
                for i in start..<min(start + batch, connections) {
                    tasks.addTask {
                        let box = Mutex<NIOLoopBound<CompareMiner>?>(nil)
                        let source = try SocketAddress(ipAddress: "127.0.0.\(1 + i / max(perIP, 1))", port: 0)
                        let channel = try await ClientBootstrap(group: group)
                            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                            .bind(to: source)
                            .channelInitializer { channel in
                                channel.eventLoop.makeCompletedFuture {
                                    let miner = CompareMiner(username: "\(usernames[i % usernames.count]).m\(i)", shared: shared)
                                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LoadLineDecoder()))
                                    try channel.pipeline.syncOperations.addHandler(miner)
                                    box.withLock { $0 = NIOLoopBound(miner, eventLoop: channel.eventLoop) }
                                }
                            }
                            .connect(host: target.host, port: target.port).get()
                        return (channel, box.withLock { $0! })
                    }
                }
                var made: [(any Channel, NIOLoopBound<CompareMiner>)] = []
                for try await item in tasks { made.append(item) }
                return made
            }
            for (c, m) in made { channels.append(c); miners.append(m) }
        }
        var waited = 0
        while shared.state.withLock({ $0.ready }) < connections, waited < 1200 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        let ready = shared.state.withLock { $0.ready }
        let connectSeconds = Double(monotonicNanoseconds() - started) / 1e9
        result.connectSeconds.append(connectSeconds)
        var rss = "?"
        if let pid = target.pid, let kib = Self.rssKiB(pid: pid) {
            result.rssKiB.append(kib)
            rss = "\(kib / 1024) MB"
        }
        print("[\(target.name) round \(round + 1)] \(ready)/\(connections) miners have work after "
              + String(format: "%.1f s", connectSeconds) + "; server RSS \(rss)")

        // Fan-out: a block, then when each connection heard of it.
        for block in 1...blocks {
            try await Task.sleep(for: .milliseconds(1500))
            let t0 = monotonicNanoseconds()
            let answer = try await bitcoind.call("generatetoaddress", [.int(1), .string(payTo)])
            let t1 = monotonicNanoseconds()
            guard let text = answer.arrayValue?.first?.stringValue, let hash = BlockHash(displayHex: text) else {
                throw CompareError.usage("generatetoaddress answered \(answer)")
            }
            let prev = MiningJob.stratumPrevHash(hash)
            var arrivals: [UInt64] = []
            for _ in 0..<600 {
                arrivals = shared.state.withLock { $0.arrivals[prev] ?? [] }
                if arrivals.count >= ready { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let latencies = arrivals.map { $0 &- t0 }.sorted()
            result.fanout += latencies
            result.missed += ready - latencies.count
            if let last = latencies.last { result.lastPerBlock.append(last) }
            print("[\(target.name) round \(round + 1)] block \(block): generatetoaddress took \(ms(t1 - t0)); "
                  + "\(latencies.count)/\(ready) notified: first \(ms(latencies.first ?? 0)), p50 \(ms(percentile(latencies, 50))), "
                  + "p99 \(ms(percentile(latencies, 99))), last \(ms(latencies.last ?? 0))")
        }

        // Submits at the rate, then at the ceiling rate.
        for (label, total) in [("rate", rate), ("ceiling", ceilingRate)] where total > 0 {
            shared.state.withLock { s in
                s.latencies = []
                s.latencies.reserveCapacity(Int(total) * (duration + 1))
                s.accepted = 0
                s.rejected = 0
                s.recording = true
            }
            let interval = TimeAmount.nanoseconds(Int64(Double(connections) / total * 1e9))
            let deadline = NIODeadline.now() + .seconds(Int64(duration))
            let t0 = monotonicNanoseconds()
            for m in miners { m.eventLoop.execute { m.value.startSubmitting(interval: interval, until: deadline) } }
            try await Task.sleep(for: .seconds(duration))
            let elapsed = monotonicNanoseconds() - t0
            try await Task.sleep(for: .seconds(2))  // the last answers
            let s = shared.state.withLock { s in
                s.recording = false
                return (s.latencies.sorted(), s.accepted, s.rejected)
            }
            let measured = SubmitMeasurement(perSecond: Double(s.0.count) / (Double(elapsed) / 1e9), latencies: s.0,
                                             accepted: s.1, rejected: s.2)
            if label == "rate" { result.submit.append(measured) } else { result.ceiling.append(measured) }
            print("[\(target.name) round \(round + 1)] submits at \(Int(total))/s: answered \(Int(measured.perSecond))/s "
                  + "(accepted \(s.1), rejected \(s.2)), p50 \(ms(percentile(s.0, 50))), p99 \(ms(percentile(s.0, 99)))")
            try await Task.sleep(for: .seconds(1))
        }
        // RSS again once every connection has held several jobs (each remembers 16).
        if let pid = target.pid, let kib = Self.rssKiB(pid: pid) {
            result.rssKiB.append(kib)
            print("[\(target.name) round \(round + 1)] server RSS after the blocks and submits: \(kib / 1024) MB")
        }
        for c in channels { c.close(promise: nil) }
        try await group.shutdownGracefully()
        try await Task.sleep(for: .seconds(2))  // let the server drop the connections
    }

    /// VmRSS of a process, in KiB.
    static func rssKiB(pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    func report(_ results: [String: CompareResult]) {
        let names = targets.map(\.name)
        func row(_ label: String, _ values: [Double?], unit: String, lowerIsBetter: Bool = true) {
            let cells = values.map { $0.map { unit == "/s" ? String(format: "%.0f", $0) + "/s" : String(format: "%.1f", $0) + " " + unit } ?? "–" }
            var line = "| \(label) | " + cells.joined(separator: " | ")
            if values.count >= 2, let base = values[0], let other = values.last!, base > 0 {
                line += String(format: " | %.2f×", other / base)
            } else {
                line += " | –"
            }
            print(line + " |")
        }
        func msValue(_ v: UInt64) -> Double { Double(v) / 1e6 }
        func pooled(_ m: [SubmitMeasurement]) -> [UInt64] { m.flatMap(\.latencies).sorted() }
        func mean(_ m: [SubmitMeasurement]) -> Double? { m.isEmpty ? nil : m.map(\.perSecond).reduce(0, +) / Double(m.count) }
        print("")
        print("side by side (\(connections) connections; ratio = \(names.last ?? "") / \(names.first ?? ""))")
        print("| metric | " + names.joined(separator: " | ") + " | ratio |")
        print("|---|" + names.map { _ in "---:|" }.joined() + "---:|")
        let r = names.map { results[$0] ?? CompareResult() }
        row("fan-out p50", r.map { $0.fanout.isEmpty ? nil : msValue(percentile($0.fanout.sorted(), 50)) }, unit: "ms")
        row("fan-out p99", r.map { $0.fanout.isEmpty ? nil : msValue(percentile($0.fanout.sorted(), 99)) }, unit: "ms")
        row("fan-out last, median of blocks", r.map { $0.lastPerBlock.isEmpty ? nil : msValue(percentile($0.lastPerBlock.sorted(), 50)) }, unit: "ms")
        row("submits \(Int(rate))/s: answered/s", r.map { mean($0.submit) }, unit: "/s")
        row("submits \(Int(rate))/s: p50", r.map { $0.submit.isEmpty ? nil : msValue(percentile(pooled($0.submit), 50)) }, unit: "ms")
        row("submits \(Int(rate))/s: p99", r.map { $0.submit.isEmpty ? nil : msValue(percentile(pooled($0.submit), 99)) }, unit: "ms")
        if ceilingRate > 0 {
            row("submits \(Int(ceilingRate))/s: answered/s", r.map { mean($0.ceiling) }, unit: "/s")
            row("submits \(Int(ceilingRate))/s: p99", r.map { $0.ceiling.isEmpty ? nil : msValue(percentile(pooled($0.ceiling), 99)) }, unit: "ms")
        }
        row("server RSS with miners (max)", r.map { $0.rssKiB.isEmpty ? nil : Double($0.rssKiB.max()!) / 1024 }, unit: "MB")
        let missed = zip(names, r).filter { $0.1.missed > 0 }.map { "\($0.0): \($0.1.missed)" }
        if !missed.isEmpty { print("notifies never received within 30 s: " + missed.joined(separator: ", ")) }
    }
}

enum CompareError: Error, CustomStringConvertible {
    case usage(String)
    var description: String {
        switch self { case .usage(let text): return "stratum-load compare: \(text)" }
    }
}
