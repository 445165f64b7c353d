import JSON
import BitcoinPrimitives
import Foundation
import NIOCore
import NIOPosix
import StratumProtocol
import Synchronization

/// What all simulated miners share: counters and samples, under one lock.
final class LoadShared: Sendable {
    struct State {
        var ready = 0
        var latencies: [UInt64] = []
        var accepted = 0
        var rejected: [String: Int] = [:]
        var notified: [String: (count: Int, first: UInt64, last: UInt64)] = [:]
        var submitting = false
    }
    let state = Mutex(State())
    let connections: Int
    init(connections: Int) { self.connections = connections }

    func markReady() {
        let all = state.withLock { s -> Bool in
            s.ready += 1
            return s.ready == connections
        }
        if all { emit("READY \(connections)") }
    }

    func notified(job: String, at now: UInt64) {
        let done: (Int, UInt64, UInt64)? = state.withLock { s in
            var entry = s.notified[job] ?? (0, now, now)
            entry.count += 1
            entry.first = min(entry.first, now)
            entry.last = max(entry.last, now)
            s.notified[job] = entry
            return entry.count == connections ? (entry.count, entry.first, entry.last) : nil
        }
        if let (_, first, last) = done, job.hasPrefix("r"), let round = Int(job.dropFirst()), round > 0 {
            emit("NOTIFY \(round) \(last) \(first)")
        }
    }

    func answered(latency: UInt64, error: String?) {
        state.withLock { s in
            s.latencies.append(latency)
            if let error { s.rejected[error, default: 0] += 1 } else { s.accepted += 1 }
        }
    }
}

func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// One simulated miner: subscribe + authorize, then submit at the vardiff target on
/// a timer, measuring each submit's round trip.
final class LoadMinerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Job {
        var id: String
        var prev: BlockHash
        var coinb1: [UInt8], coinb2: [UInt8]
        var branch: [Hash256]
        var version: Int32, bits: CompactTarget, ntime: UInt32
    }

    let index: Int
    let username: String
    let shared: LoadShared
    let interval: TimeAmount
    var context: ChannelHandlerContext?
    var en1: [UInt8] = []
    var target = UInt256.max
    var job: Job?
    var en2Counter: UInt64 = 0
    var nextID = 100
    var outstanding: [Int: UInt64] = [:]
    var timer: RepeatedTask?

    init(index: Int, username: String, shared: LoadShared, interval: TimeAmount) {
        self.index = index
        self.username = username
        self.shared = shared
        self.interval = interval
    }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        send(#"{"id":1,"method":"mining.subscribe","params":["stratum-load/1"]}"#, context: context)
        send(#"{"id":2,"method":"mining.authorize","params":["\#(username)","x"]}"#, context: context)
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
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
            let params = message["params"]?.arrayValue ?? []
            if method == "mining.set_difficulty", let text = params.first?.numberText,
               let d = StratumDifficulty(decimal: text) {
                target = d.target
            } else if method == "mining.notify", let parsed = Self.parse(params) {
                let first = job == nil
                job = parsed
                shared.notified(job: parsed.id, at: now)
                if first { shared.markReady() }
            }
            return
        }
        guard let id = message["id"]?.int64Value else { return }
        if id == 1 {
            en1 = message["result"]?.arrayValue?[1].stringValue.flatMap { Hex.decode($0) } ?? []
        } else if let sent = outstanding.removeValue(forKey: Int(id)) {
            let error = message["error"]?.arrayValue.map { "\($0.first?.numberText ?? "?") \($0.count > 1 ? $0[1].stringValue ?? "" : "")" }
            shared.answered(latency: now - sent, error: error)
        }
    }

    func startSubmitting(until deadline: NIODeadline) {
        guard let context else { return }
        let jitter = TimeAmount.nanoseconds(Int64.random(in: 0..<max(interval.nanoseconds, 1)))
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: jitter, delay: interval) { task in
            let handler = bound.value
            guard let context = handler.context, NIODeadline.now() < deadline else { task.cancel(); return }
            handler.submit(context: context)
        }
    }

    func submit(context: ChannelHandlerContext) {
        guard let job, en1.count == 4 else { return }
        en2Counter += 1
        var en2 = [UInt8](repeating: 0, count: 8)
        withUnsafeBytes(of: en2Counter.bigEndian) { en2 = Array($0) }
        let coinbase = job.coinb1 + en1 + en2 + job.coinb2
        let root = Merkle.root(coinbaseTxid: Txid(rawHash: SHA256d.hash(coinbase)), branch: job.branch)
        var nonce: UInt32 = 0
        var header = BlockHeader(version: job.version, prevBlock: job.prev, merkleRoot: root, time: job.ntime,
                                 bits: job.bits, nonce: nonce)
        while header.hash.rawHash.asUInt256 > target && nonce < 1_000_000 {
            nonce += 1
            header.nonce = nonce
        }
        let id = nextID
        nextID += 1
        outstanding[id] = monotonicNanoseconds()
        send(#"{"id":\#(id),"method":"mining.submit","params":["\#(username)","\#(job.id)","\#(Hex.encode(en2))","\#(MiningJob.hex32(job.ntime))","\#(MiningJob.hex32(nonce))"]}"#,
             context: context)
        context.flush()
    }

    static func parse(_ p: [JSONValue]) -> Job? {
        guard p.count >= 9, let id = p[0].stringValue,
              let prevText = p[1].stringValue, let prevSwapped = Hex.decode(prevText), prevSwapped.count == 32,
              let coinb1 = p[2].stringValue.flatMap({ Hex.decode($0) }), let coinb2 = p[3].stringValue.flatMap({ Hex.decode($0) }),
              let branchItems = p[4].arrayValue,
              let version = p[5].stringValue.flatMap(MiningJob.parseHex32),
              let bits = p[6].stringValue.flatMap(MiningJob.parseHex32),
              let ntime = p[7].stringValue.flatMap(MiningJob.parseHex32) else { return nil }
        var prev = [UInt8]()
        for word in stride(from: 0, to: 32, by: 4) { prev += prevSwapped[word..<word + 4].reversed() }
        let branch = branchItems.compactMap { $0.stringValue.flatMap { Hash256(internalHex: $0) } }
        return Job(id: id, prev: BlockHash(rawHash: Hash256(bytes: prev)!), coinb1: coinb1, coinb2: coinb2,
                   branch: branch, version: Int32(bitPattern: version), bits: CompactTarget(rawValue: bits), ntime: ntime)
    }
}

/// Splits lines (client side of the load test).
struct LoadLineDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let nl = buffer.readableBytesView.firstIndex(of: 0x0a) else { return nil }
        let line = buffer.readSlice(length: nl - buffer.readerIndex)
        buffer.moveReaderIndex(forwardBy: 1)
        return line
    }
    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? { try decode(buffer: &buffer) }
}

/// The miners' process.
struct LoadClient {
    let port: Int
    let connections: Int
    let duration: Int
    let rate: Double
    let addresses: Int
    let rounds: Int
    let threads: Int

    init(options: Options) {
        port = options.int("port", 3333)
        connections = options.int("connections", 1000)
        duration = options.int("duration", 20)
        rate = options.double("rate", 15)
        addresses = options.int("addresses", 10)
        rounds = options.int("rounds", 5)
        threads = options.int("client-threads", 2)
    }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let shared = LoadShared(connections: connections)
        let interval = TimeAmount.nanoseconds(Int64(60e9 / rate))
        let usernames = (0..<addresses).map { loadAddress($0).encoded(for: .regtest) }
        let connectStart = monotonicNanoseconds()
        var handlers: [NIOLoopBound<LoadMinerHandler>] = []
        var channels: [any Channel] = []
        // connect in batches to stay within the listen backlog
        let batch = 500
        for start in stride(from: 0, to: connections, by: batch) {
            let made = try await withThrowingTaskGroup(of: (any Channel, NIOLoopBound<LoadMinerHandler>).self) { tasks in
                for i in start..<min(start + batch, connections) {
                    tasks.addTask {
                        let handlerBox = Mutex<NIOLoopBound<LoadMinerHandler>?>(nil)
                        let channel = try await ClientBootstrap(group: group)
                            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                            .channelInitializer { channel in
                                channel.eventLoop.makeCompletedFuture {
                                    let handler = LoadMinerHandler(index: i, username: "\(usernames[i % usernames.count]).m\(i)",
                                                                   shared: shared, interval: interval)
                                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LoadLineDecoder()))
                                    try channel.pipeline.syncOperations.addHandler(handler)
                                    handlerBox.withLock { $0 = NIOLoopBound(handler, eventLoop: channel.eventLoop) }
                                }
                            }
                            .connect(host: "127.0.0.1", port: port).get()
                        return (channel, handlerBox.withLock { $0! })
                    }
                }
                var result: [(any Channel, NIOLoopBound<LoadMinerHandler>)] = []
                for try await item in tasks { result.append(item) }
                return result
            }
            for (c, h) in made { channels.append(c); handlers.append(h) }
        }
        // wait until every miner has its first job
        while shared.state.withLock({ $0.ready }) < connections {
            try await Task.sleep(for: .milliseconds(20))
        }
        emit("connected and authorized \(connections) miners in \(ms(monotonicNanoseconds() - connectStart))")

        let deadline = NIODeadline.now() + .seconds(Int64(duration))
        let started = monotonicNanoseconds()
        for h in handlers { h.eventLoop.execute { h.value.startSubmitting(until: deadline) } }
        try await Task.sleep(for: .seconds(duration))
        try await Task.sleep(for: .seconds(1))  // let the last answers arrive
        let elapsed = monotonicNanoseconds() - started

        let s = shared.state.withLock { $0 }
        let sorted = s.latencies.sorted()
        let total = sorted.count
        emit("submits answered: \(total) in \(ms(elapsed)) → \(Int(Double(total) / (Double(elapsed) / 1e9))) submits/s; "
             + "accepted \(s.accepted), rejected \(s.rejected.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", "))")
        emit("submit latency: p50 \(ms(percentile(sorted, 50))), p90 \(ms(percentile(sorted, 90))), "
             + "p99 \(ms(percentile(sorted, 99))), p99.9 \(ms(percentile(sorted, 99.9))), max \(ms(sorted.last ?? 0))")
        for c in channels { c.close(promise: nil) }
        try await group.shutdownGracefully()
    }
}
