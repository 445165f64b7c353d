import JSON
import BitcoinPrimitives
import StratumProtocol

/// The Stratum v1 client as a pure state machine: events in (connected, a line
/// received, a solution found, disconnected), actions out (lines to send, work for
/// the hashing threads, close, reconnect after a delay). No I/O, no clock.
public struct StratumClientStateMachine: Sendable {
    /// Where the session is.
    public enum Phase: Sendable, Equatable {
        /// No connection.
        case disconnected
        /// `mining.subscribe` sent, no answer yet.
        case subscribing
        /// `mining.authorize` sent, no answer yet.
        case authorizing
        /// Authorized: solutions are submitted.
        case mining
    }

    /// Something the connection must do.
    public enum Action: Sendable, Equatable {
        /// Send one JSON line (the newline is the connection's job).
        case send(String)
        /// Give the hashing threads this work; nil stops them.
        case work(MiningWork?)
        /// Close the connection.
        case close(reason: String)
        /// Connect again after this delay.
        case reconnect(after: Duration)
        /// Something worth telling the user.
        case report(Report)
    }

    /// Events for the log and status line.
    public enum Report: Sendable, Equatable {
        /// The pool answered `mining.subscribe`.
        case subscribed(extranonce1: [UInt8], extranonce2Size: Int)
        /// The pool accepted `mining.authorize`.
        case authorized
        /// The pool refused `mining.authorize`, with its reason.
        case authorizationFailed(String)
        /// `mining.set_difficulty`.
        case difficulty(StratumDifficulty)
        /// `mining.notify`.
        case newJob(id: String, clean: Bool)
        /// A submitted share was accepted.
        case accepted(jobID: String)
        /// A submitted share was rejected, with the pool's reason.
        case rejected(jobID: String, reason: String)
        /// A solution for a job that is no longer valid was not submitted.
        case staleSolutionDropped(jobID: String)
        /// `client.show_message`.
        case poolMessage(String)
        /// A line that does not follow Stratum v1 (ignored).
        case malformed(String)
    }

    private enum Pending: Sendable, Equatable {
        case subscribe, authorize
        case submit(jobID: String)
    }

    /// Login and identity.
    public struct Configuration: Sendable, Equatable {
        /// `ADDRESS[.worker]`.
        public var user: String
        /// Usually `x` or `d=N`.
        public var password: String
        /// Sent with `mining.subscribe`.
        public var userAgent: String
        /// First reconnect delay; doubled per failed attempt.
        public var initialBackoff: Duration
        /// Longest reconnect delay.
        public var maximumBackoff: Duration

        /// Creates a configuration.
        public init(user: String, password: String = "x", userAgent: String = "tidepool-mine/1",
                    initialBackoff: Duration = .seconds(1), maximumBackoff: Duration = .seconds(30)) {
            self.user = user
            self.password = password
            self.userAgent = userAgent
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
        }
    }

    /// How many non-clean jobs stay submittable.
    static let retainedJobs = 8

    /// Login, user agent and backoff.
    public let configuration: Configuration
    /// Where the session is.
    public private(set) var phase: Phase = .disconnected
    /// Shares the pool accepted (over all connections).
    public private(set) var accepted: UInt64 = 0
    /// Shares the pool rejected (over all connections).
    public private(set) var rejected: UInt64 = 0
    /// The difficulty last set by the pool.
    public private(set) var difficulty: StratumDifficulty = .one
    /// The work last handed to the threads.
    public private(set) var currentWork: MiningWork?
    /// Connection attempts since the last successful authorization.
    public private(set) var failedAttempts = 0

    private var extranonce1: [UInt8] = []
    private var extranonce2Size = 0
    private var nextID: Int64 = 1
    private var pending: [Int64: Pending] = [:]
    private var jobs: [PoolJob] = []  // submittable jobs, newest last
    private var generation: UInt64 = 0

    /// A client that is not connected yet.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The worker name sent in `mining.submit` (the full user name).
    public var workerName: String { configuration.user }

    // MARK: Events

    /// The TCP connection is up: subscribe.
    public mutating func connected() -> [Action] {
        phase = .subscribing
        pending = [:]
        jobs = []
        currentWork = nil
        nextID = 1
        return [.send(makeRequest(.subscribe, method: "mining.subscribe", params: [.string(configuration.userAgent)]))]
    }

    /// The connection ended (or could not be made): stop hashing, reconnect with backoff.
    public mutating func disconnected() -> [Action] {
        phase = .disconnected
        pending = [:]
        jobs = []
        currentWork = nil
        failedAttempts += 1
        return [.work(nil), .reconnect(after: backoff(attempt: failedAttempts))]
    }

    /// The delay before reconnect attempt `attempt` (1-based): initial × 2^(attempt−1), capped.
    public func backoff(attempt: Int) -> Duration {
        var delay = configuration.initialBackoff
        for _ in 1..<max(attempt, 1) {
            delay *= 2
            if delay >= configuration.maximumBackoff { return configuration.maximumBackoff }
        }
        return min(delay, configuration.maximumBackoff)
    }

    /// A hashing thread found a header meeting the target.
    public mutating func found(_ solution: MiningSolution) -> [Action] {
        guard phase == .mining, jobs.contains(where: { $0.jobID == solution.jobID }) else {
            return [.report(.staleSolutionDropped(jobID: solution.jobID))]
        }
        let params: [JSONValue] = [
            .string(workerName), .string(solution.jobID), .string(Hex.encode(solution.extranonce2)),
            .string(Self.hex32(solution.time)), .string(Self.hex32(solution.nonce)),
        ]
        return [.send(makeRequest(.submit(jobID: solution.jobID), method: "mining.submit", params: params))]
    }

    /// One line from the pool.
    public mutating func received(line: String) -> [Action] {
        let message: JSONValue
        do {
            message = try JSONParser.parse(line)
        } catch {
            return [.report(.malformed("\(error)"))]
        }
        guard case .object = message else { return [.report(.malformed("not a JSON object"))] }
        if let method = message["method"]?.stringValue {
            let params = message["params"]?.arrayValue ?? []
            return handleCall(method: method, params: params, id: message["id"] ?? .null)
        }
        guard let id = message["id"]?.int64Value, let request = pending.removeValue(forKey: id) else {
            return []  // an answer to nothing we asked: ignore
        }
        return handleResponse(to: request, result: message["result"] ?? .null, error: message["error"] ?? .null)
    }

    // MARK: Pool → client calls

    private mutating func handleCall(method: String, params: [JSONValue], id: JSONValue) -> [Action] {
        switch method {
        case "mining.set_difficulty":
            let d: StratumDifficulty
            do { d = try MiningSetDifficulty(params: params).difficulty } catch { return [.report(.malformed(error.reason))] }
            difficulty = d
            var actions: [Action] = [.report(.difficulty(d))]
            // A harder target applies at once (fewer, still valid shares); an easier one
            // waits for the next job, as the pool records difficulty per job.
            if let work = currentWork, d.target < work.target {
                actions.append(issueWork(job: work.job))
            }
            return actions
        case "mining.notify":
            let job: PoolJob
            do { job = try PoolJob(notifyParams: params) } catch { return [.report(.malformed("\(error)"))] }
            if job.cleanJobs { jobs.removeAll() }
            jobs.removeAll { $0.jobID == job.jobID }
            jobs.append(job)
            if jobs.count > Self.retainedJobs { jobs.removeFirst(jobs.count - Self.retainedJobs) }
            var actions: [Action] = [.report(.newJob(id: job.jobID, clean: job.cleanJobs))]
            if phase == .mining { actions.append(issueWork(job: job)) }
            return actions
        case "mining.set_extranonce":
            guard params.count >= 2, let en1 = params[0].stringValue.flatMap({ Hex.decode($0) }),
                  let size = params[1].int64Value, (0...32).contains(size) else {
                return [.report(.malformed("mining.set_extranonce needs hex and a size"))]
            }
            extranonce1 = en1
            extranonce2Size = Int(size)
            if let work = currentWork { return [issueWork(job: work.job)] }
            return []
        case "client.reconnect":
            return [.close(reason: "pool asked to reconnect")]
        case "client.show_message":
            return [.report(.poolMessage(params.first?.stringValue ?? ""))]
        case "client.get_version":
            return id.isNull ? [] : [.send(response(id: id, result: .string(configuration.userAgent)))]
        default:
            guard !id.isNull else { return [] }
            return [.send(response(id: id, result: .null,
                                   error: .array([.number("20"), .string("Unknown method \(method)"), .null])))]
        }
    }

    // MARK: Responses to our requests

    private mutating func handleResponse(to request: Pending, result: JSONValue, error: JSONValue) -> [Action] {
        switch request {
        case .subscribe:
            guard error.isNull, let fields = result.arrayValue, fields.count >= 3,
                  let en1 = fields[1].stringValue.flatMap({ Hex.decode($0) }),
                  let size = fields[2].int64Value, (0...32).contains(size) else {
                return [.report(.malformed("mining.subscribe failed: \(Self.reason(error, result))")),
                        .close(reason: "subscribe failed")]
            }
            extranonce1 = en1
            extranonce2Size = Int(size)
            phase = .authorizing
            let authorize = makeRequest(.authorize, method: "mining.authorize",
                                    params: [.string(configuration.user), .string(configuration.password)])
            return [.report(.subscribed(extranonce1: en1, extranonce2Size: Int(size))), .send(authorize)]
        case .authorize:
            guard error.isNull, result.boolValue == true else {
                let why = Self.reason(error, result)
                return [.report(.authorizationFailed(why)), .close(reason: "authorization failed: \(why)")]
            }
            phase = .mining
            failedAttempts = 0
            var actions: [Action] = [.report(.authorized)]
            if let job = jobs.last { actions.append(issueWork(job: job)) }
            return actions
        case .submit(let jobID):
            if error.isNull, result.boolValue == true {
                accepted += 1
                return [.report(.accepted(jobID: jobID))]
            }
            rejected += 1
            return [.report(.rejected(jobID: jobID, reason: Self.reason(error, result)))]
        }
    }

    // MARK: Helpers

    private mutating func issueWork(job: PoolJob) -> Action {
        generation += 1
        let work = MiningWork(job: job, extranonce1: extranonce1, extranonce2Size: extranonce2Size,
                              difficulty: difficulty, generation: generation)
        currentWork = work
        return .work(work)
    }

    private mutating func makeRequest(_ kind: Pending, method: String, params: [JSONValue]) -> String {
        let id = nextID
        nextID += 1
        pending[id] = kind
        return JSONValue.object([JSONMember("id", .number(String(id))), JSONMember("method", .string(method)),
                          JSONMember("params", .array(params))]).jsonText
    }

    private func response(id: JSONValue, result: JSONValue, error: JSONValue = .null) -> String {
        JSONValue.object([JSONMember("id", id), JSONMember("result", result), JSONMember("error", error)]).jsonText
    }

    /// A readable reason from a Stratum error (`[code, "message", …]`, an object, a string).
    static func reason(_ error: JSONValue, _ result: JSONValue) -> String {
        switch error {
        case .array(let items):
            let code = items.first.flatMap { if case .number(let n) = $0 { return n } else { return nil } }
            let message = items.count > 1 ? items[1].stringValue ?? items[1].jsonText : ""
            return [code, message].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case .object:
            return error["message"]?.stringValue ?? error.jsonText
        case .string(let s): return s
        case .null: return result.isNull ? "no result" : "result \(result.jsonText)"
        default: return error.jsonText
        }
    }

    /// Eight lowercase hex digits of a 32-bit number (big-endian text), as `mining.submit` sends ntime and nonce.
    static func hex32(_ value: UInt32) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}
