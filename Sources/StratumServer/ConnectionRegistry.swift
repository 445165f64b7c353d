import BitcoinPrimitives
import NIOCore
import StratumProtocol

/// The server's shared bookkeeping (always used under the server's lock): connections,
/// their payout-script groups, current jobs, extranonce1 allocation.
struct ConnectionRegistry {
    struct Entry {
        var channel: any Channel
        var handler: NIOLoopBound<StratumConnectionHandler>
        var extranonce: UInt32
        var ip: String
        var key: JobKey?
    }

    /// One job with its `mining.notify` line encoded once (nil when fetched, not
    /// published), shared by reference by every delivery of it: a fan-out copies one
    /// pointer per connection, not the job's fields.
    final class Work: Sendable {
        let job: MiningJob
        let line: ByteBuffer?
        init(job: MiningJob, line: ByteBuffer?) {
            self.job = job
            self.line = line
        }
    }

    /// One job to hand to one connection.
    struct Delivery: Sendable {
        var handler: NIOLoopBound<StratumConnectionHandler>
        var work: Work
        var job: MiningJob { work.job }
        var line: ByteBuffer? { work.line }
    }

    var listener: (any Channel)?
    var connections: [UInt64: Entry] = [:]
    var groups: [JobKey: Set<UInt64>] = [:]
    var jobs: [JobKey: (MiningJob, ByteBuffer?)] = [:]
    var fetching: Set<JobKey> = []
    /// Why the server hands out no work now (`StratumServer.suspend`); nil normally.
    var suspended: String?
    private var nextID: UInt64 = 1
    private var nextExtranonce: UInt32 = UInt32.random(in: 0...UInt32.max)
    private var extranoncesInUse: Set<UInt32> = []
    private var perIP: [String: Int] = [:]
    /// Ready connections per payout script, per IP (for `maximumPayoutScriptsPerIP`).
    private var scriptsPerIP: [String: [Script: Int]] = [:]

    /// What `ready` decided.
    enum Readiness {
        /// The key's current job, to deliver at once.
        case job(MiningJob, ByteBuffer?)
        /// No job yet; `fetch` says whether the caller must ask the work source.
        case waiting(fetch: Bool)
        /// The IP already has ready connections for `limit` other payout scripts.
        case tooManyPayoutScripts(limit: Int)
    }

    /// A connection id and an extranonce1 no live connection has, or nil when the server
    /// already holds `maximum` connections or `maximumPerIP` from `ip`.
    mutating func allocate(ip: String, maximum: Int, maximumPerIP: Int) -> (id: UInt64, extranonce: UInt32)? {
        guard extranoncesInUse.count < maximum, perIP[ip, default: 0] < maximumPerIP else { return nil }
        perIP[ip, default: 0] += 1
        let id = nextID
        nextID += 1
        while extranoncesInUse.contains(nextExtranonce) { nextExtranonce &+= 1 }
        let value = nextExtranonce
        nextExtranonce &+= 1
        extranoncesInUse.insert(value)
        return (id, value)
    }

    mutating func remove(_ id: UInt64) {
        guard let entry = connections.removeValue(forKey: id) else { return }
        if let key = entry.key {
            groups[key]?.remove(id)
            if groups[key]?.isEmpty == true {
                groups[key] = nil
                jobs[key] = nil  // nobody left to send it to
            }
            let left = (scriptsPerIP[entry.ip]?[key.payoutScript] ?? 1) - 1
            scriptsPerIP[entry.ip]?[key.payoutScript] = left > 0 ? left : nil
            if scriptsPerIP[entry.ip]?.isEmpty == true { scriptsPerIP[entry.ip] = nil }
        }
        extranoncesInUse.remove(entry.extranonce)
        release(ip: entry.ip)
    }

    /// Gives back an allocation whose connection never registered.
    mutating func release(ip: String) {
        perIP[ip, default: 1] -= 1
        if perIP[ip] ?? 0 <= 0 { perIP[ip] = nil }
    }

    /// Open connections from `ip`.
    func connections(from ip: String) -> Int { perIP[ip] ?? 0 }

    /// Marks the connection ready; returns the script's current job, or whether the
    /// caller must fetch one (no job and no fetch under way), or a refusal when the
    /// connection's IP already mines to `maximumScriptsPerIP` other payout scripts.
    mutating func ready(_ id: UInt64, key: JobKey, maximumScriptsPerIP: Int) -> Readiness {
        guard let entry = connections[id], entry.key == nil else { return .waiting(fetch: false) }
        let scripts = scriptsPerIP[entry.ip, default: [:]]
        if scripts[key.payoutScript] == nil, scripts.count >= maximumScriptsPerIP {
            return .tooManyPayoutScripts(limit: maximumScriptsPerIP)
        }
        scriptsPerIP[entry.ip, default: [:]][key.payoutScript, default: 0] += 1
        connections[id]?.key = key
        groups[key, default: []].insert(id)
        if let current = jobs[key] { return .job(current.0, current.1) }
        return .waiting(fetch: fetching.insert(key).inserted)
    }

    /// Records a fetched job (unless a publish got there first) and lists the
    /// connections of the script to give it to.
    mutating func fetched(_ job: MiningJob?, for script: JobKey) -> [Delivery] {
        fetching.remove(script)
        guard jobs[script] == nil, let job else { return [] }
        jobs[script] = (job, nil)
        let work = Work(job: job, line: nil)
        return (groups[script] ?? []).compactMap { id in
            connections[id].map { Delivery(handler: $0.handler, work: work) }
        }
    }

    /// Makes `encoded` the current jobs (on clean work, the only ones) and lists the
    /// deliveries, and the scripts with connections but no job (to fetch).
    mutating func publish(_ encoded: [JobKey: (MiningJob, ByteBuffer)],
                          clean: Bool) -> (deliveries: [Delivery], missing: [JobKey]) {
        if clean { jobs = [:] }
        var deliveries: [Delivery] = []
        deliveries.reserveCapacity(connections.count)
        for (script, (job, line)) in encoded {
            jobs[script] = (job, line)
            let work = Work(job: job, line: line)
            for id in groups[script] ?? [] {
                if let entry = connections[id] { deliveries.append(Delivery(handler: entry.handler, work: work)) }
            }
        }
        let missing = groups.keys.filter { jobs[$0] == nil && fetching.insert($0).inserted }
        return (deliveries, missing)
    }
}
