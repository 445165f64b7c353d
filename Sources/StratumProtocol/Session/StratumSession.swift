import JSON
import BitcoinPrimitives

/// One miner connection as a pure state machine: requests and jobs in, actions out.
///
/// The server owns one per connection and performs the returned actions in order.
/// No I/O and no clock: the caller passes the time.
public struct StratumSession: Sendable {
    /// A job as this connection saw it: under which id, at which difficulty.
    struct SentJob: Sendable {
        var job: MiningJob
        var difficulty: StratumDifficulty
        var target: UInt256
        /// Number of clean jobs received up to and including this one: the job is
        /// stale once a later clean job arrives.
        var epoch: UInt64
    }

    /// The version-rolling mask Tidepool offers (BIP320's general-purpose bits).
    public static let serverVersionMask: UInt32 = 0x1fff_e000
    /// How many jobs (including difficulty re-sends) a connection remembers.
    public static let rememberedJobs = 16
    /// A connection that is not subscribed and authorized this long after it opened is
    /// closed (it holds a file descriptor and gets no work; public-pool closes idle
    /// connections after 5 minutes, ckpool drops unsubscribed ones).
    public static let readyTimeout: Duration = .seconds(60)

    /// Consecutive malformed requests after which the connection is closed.
    ///
    /// Only malformed input counts (a line that is not a JSON-RPC request, or a known
    /// method with unusable params). Rejected submissions never count, whatever their
    /// reason: stale, unknown job, duplicate, low difficulty just after a retarget and
    /// out-of-range ntime are caused by the pool's own job changes or by timing, and a
    /// miner that gets them must keep its connection (Docs/STRATUM.md, "When a
    /// connection is closed").
    public static let maximumConsecutiveErrors = 100

    /// How many accepted submissions a connection remembers for the duplicate check
    /// (across its jobs; ~48 KB). A duplicate older than that is counted again as a
    /// pseudo-share, which only affects this connection's statistics: the sharechain and
    /// the block submitter deduplicate shares and blocks themselves.
    public static let rememberedSubmissions = 1_024

    /// A `mining.suggest_difficulty` that lowers the difficulty takes effect at most once
    /// per this interval once work was sent (before that, every suggestion does): alternating suggestions
    /// could otherwise pin a fast miner at the minimum difficulty and flood the node with
    /// pseudo-shares. Raising the difficulty is always honoured.
    public static let suggestionLowerInterval: Duration = .seconds(300)

    /// The 4 bytes this connection's coinbases carry after coinb1.
    public let extranonce1: [UInt8]
    /// The Bitcoin network whose addresses miners authorize with.
    public let network: BitcoinNetwork
    /// The network's name in messages to miners (e.g. `devnet`, which uses regtest addresses).
    public let networkName: String
    /// Whether `mining.subscribe` was answered.
    public internal(set) var subscribed = false
    /// The miner's user agent, from `mining.subscribe`.
    public internal(set) var userAgent: String?
    /// The authorized worker (one payout address per connection).
    public internal(set) var worker: StratumWorker?
    /// The negotiated version-rolling mask (0 without `mining.configure`).
    public internal(set) var versionMask: UInt32 = 0
    /// Submit statistics.
    public internal(set) var stats = WorkerStats()
    /// How the coinbase size class is chosen (operator overrides, `cb=N`, user agent).
    public let coinbaseSizeClassPolicy: CoinbaseSizeClassPolicy
    /// The coinbase size class this connection's jobs are built for, once ready.
    public internal(set) var coinbaseSizeClass: CoinbaseSizeClass?
    /// Why that class was chosen (for logs and the API).
    public internal(set) var coinbaseSizeClassReason: CoinbaseSizeClassPolicy.Reason?
    var authorizedUsername: String?
    /// The last `mining.suggest_difficulty`, to ignore its keep-alive repeats.
    var lastSuggestedDifficulty: StratumDifficulty?
    /// When the connection opened (for `readyTimeout`).
    let openedAt: ContinuousClock.Instant
    var authorizedPassword: String?

    var vardiff: Vardiff
    var sentDifficulty: StratumDifficulty?
    /// The last difficulty whose target was computed, and that target: a connection's
    /// difficulty rarely changes, so a job costs no 256-bit division.
    var targetCache: (difficulty: StratumDifficulty, target: UInt256)?
    var jobs: [String: SentJob] = [:]
    var jobOrder: [String] = []
    var currentJobID: String?
    var epoch: UInt64 = 0
    var aliasCounter: UInt64 = 0
    /// Header hashes of this connection's recent accepted submissions (duplicate check),
    /// bounded: the newest `rememberedSubmissions` across all of its jobs.
    var submittedHeaders = RecentSet<Hash256>(capacity: StratumSession.rememberedSubmissions)
    var consecutiveErrors = 0
    /// The request budget (`RequestRateLimit`).
    var rateLimit: RequestRateLimit
    /// When a suggestion last lowered the difficulty (see `suggestionLowerInterval`).
    var lastLoweringSuggestion: ContinuousClock.Instant?

    /// A new connection.
    ///
    /// - Parameters:
    ///   - extranonce1: 4 bytes unique among the server's connections.
    ///   - network: the Bitcoin network of the payout addresses.
    ///   - networkName: the network's name in messages (defaults to `network`'s; the
    ///     server passes its sharechain network's, e.g. `devnet`).
    ///   - policy: vardiff rules (defaults to the network's standard policy).
    public init(extranonce1: [UInt8], network: BitcoinNetwork, networkName: String? = nil, policy: VardiffPolicy? = nil,
                coinbaseSizeClassPolicy: CoinbaseSizeClassPolicy = CoinbaseSizeClassPolicy(),
                rateLimit: RequestRateLimit = .stratumRequests,
                now: ContinuousClock.Instant) {
        self.coinbaseSizeClassPolicy = coinbaseSizeClassPolicy
        self.rateLimit = rateLimit
        self.openedAt = now
        precondition(extranonce1.count == StratumCoinbase.extranonce1Size, "extranonce1 must be 4 bytes")
        self.extranonce1 = extranonce1
        self.network = network
        self.networkName = networkName ?? network.rawValue
        self.vardiff = Vardiff(policy: policy ?? .standard(for: network), now: now)
    }

    /// Whether jobs can be sent (subscribed and authorized).
    public var isReady: Bool { subscribed && worker != nil }

    /// The difficulty in force for the next job.
    public var difficulty: StratumDifficulty { vardiff.difficulty }

    /// The current job (the last one received), if any.
    public var currentJob: MiningJob? { currentJobID.flatMap { jobs[$0]?.job } }

    // MARK: - Requests

    /// Answers one request.
    public mutating func handle(_ request: StratumRequest, now: ContinuousClock.Instant) -> [StratumAction] {
        guard rateLimit.take(at: now - openedAt) else {
            return countErrors([fail(request, Self.rateLimited(rateLimit))], malformed: true)
        }
        var actions: [StratumAction]
        switch request.method {
        case "mining.subscribe": actions = subscribe(request)
        case "mining.authorize": actions = authorize(request, now: now)
        case "mining.configure": actions = configure(request, now: now)
        case "mining.suggest_difficulty": actions = suggestDifficulty(request, now: now)
        case "mining.extranonce.subscribe": actions = [reply(request, .bool(true))]
        case "mining.submit":
            actions = submit(request, now: now)
            // A rejected share is an answer, not a fault of the connection; only
            // unusable params count toward closing it.
            if !actions.contains(where: Self.isMalformedAnswer) {
                consecutiveErrors = 0
                return actions
            }
        default: actions = [fail(request, .unknownMethod)]
        }
        // Well-formed requests other than submits neither count nor reset: alternating
        // malformed lines with cheap valid requests must not keep a connection open.
        if actions.contains(where: Self.isMalformedAnswer) { return countErrors(actions, malformed: true) }
        return actions
    }

    /// The error for a request over the connection's budget (code 20).
    static func rateLimited(_ limit: RequestRateLimit) -> StratumError {
        let per = limit.refillInterval == .seconds(1) ? "second" : "\(limit.refillInterval)"
        return .other("Rate limit: more than \(limit.refillTokens) requests per \(per) (burst \(limit.capacity))")
    }

    /// Whether an action answers a request whose params could not be used.
    static func isMalformedAnswer(_ action: StratumAction) -> Bool {
        guard case .send(.response(let response)) = action, let error = response.error else { return false }
        return error.code == 20 && error.message.hasPrefix(StratumSession.invalidParamsPrefix)
    }

    /// The message prefix of answers to requests with unusable params.
    static let invalidParamsPrefix = "Invalid params"

    /// Answers a line that was not a usable request (error 20 with the reason).
    public mutating func handle(invalid error: StratumRequestError, now: ContinuousClock.Instant) -> [StratumAction] {
        _ = rateLimit.take(at: now - openedAt)  // unusable lines spend the budget too
        return countErrors([.send(.response(.failure(id: error.id, .other(error.description))))], malformed: true)
    }

    private mutating func countErrors(_ actions: [StratumAction], malformed: Bool? = nil) -> [StratumAction] {
        // Only malformed input counts: unusable params, a line that is not a request, or
        // a request over the rate limit. Unknown methods, bad usernames and early
        // submits are answered and forgotten.
        let failed = malformed ?? actions.contains(where: Self.isMalformedAnswer)
        consecutiveErrors = failed ? consecutiveErrors + 1 : 0
        if consecutiveErrors >= Self.maximumConsecutiveErrors {
            return actions + [.close(reason: "\(consecutiveErrors) consecutive failed requests")]
        }
        return actions
    }

    func reply(_ request: StratumRequest, _ result: JSONValue) -> StratumAction {
        .send(.response(.success(id: request.id, result)))
    }

    func fail(_ request: StratumRequest, _ error: StratumError) -> StratumAction {
        .send(.response(.failure(id: request.id, error)))
    }

    // MARK: - Jobs

    /// Takes new work for this connection's payout script: `mining.set_difficulty`
    /// first when the difficulty changed, then `mining.notify`. Ignored until the
    /// connection is ready or if the job is for another payout script.
    public mutating func receive(job: MiningJob, now: ContinuousClock.Instant) -> [StratumAction] {
        guard isReady, job.payoutScript == worker?.payoutScript,
              job.coinbaseSizeClass <= coinbaseSizeClass ?? .safest else { return [] }
        _ = vardiff.evaluate(now: now)
        if job.clean || currentJobID == nil { epoch += 1 }
        return send(job, jobID: job.id, clean: job.clean)
    }

    /// Lets vardiff lower the difficulty of a quiet miner; call now and then (e.g.
    /// every ten seconds). Re-sends the current job at the new difficulty.
    /// Also closes a connection still not subscribed and authorized after `readyTimeout`.
    public mutating func tick(now: ContinuousClock.Instant) -> [StratumAction] {
        if !isReady, now - openedAt >= Self.readyTimeout {
            return [.close(reason: "not subscribed and authorized within \(Self.readyTimeout)")]
        }
        guard isReady, vardiff.evaluate(now: now) != nil else { return [] }
        return resendCurrentJob()
    }

    /// Sends `job` under `jobID` at the current difficulty, remembering both.
    mutating func send(_ job: MiningJob, jobID: String, clean: Bool) -> [StratumAction] {
        var actions: [StratumAction] = []
        let difficulty = effectiveDifficulty(for: job)
        if sentDifficulty != difficulty {
            actions.append(.send(.notification(.setDifficulty(difficulty))))
            sentDifficulty = difficulty
        }
        remember(SentJob(job: job, difficulty: difficulty, target: target(of: difficulty), epoch: epoch), as: jobID)
        currentJobID = jobID
        actions.append(.notify(job: job, jobID: jobID, clean: clean))
        return actions
    }

    /// After a difficulty change: the current job again under a fresh id (so that
    /// shares are judged at the difficulty the miner was told), not clean.
    mutating func resendCurrentJob() -> [StratumAction] {
        guard let id = currentJobID, let current = jobs[id],
              effectiveDifficulty(for: current.job) != current.difficulty else { return [] }
        aliasCounter += 1
        let alias = "\(current.job.id).\(String(aliasCounter, radix: 16))"
        return send(current.job, jobID: alias, clean: false)
    }

    /// The vardiff difficulty, but never above the job's share difficulty (every share
    /// must also be an acceptable pseudo-share).
    /// `difficulty.target`, from `targetCache` when the difficulty is the last one.
    mutating func target(of difficulty: StratumDifficulty) -> UInt256 {
        if let cached = targetCache, cached.difficulty == difficulty { return cached.target }
        let target = difficulty.target
        targetCache = (difficulty, target)
        return target
    }

    func effectiveDifficulty(for job: MiningJob) -> StratumDifficulty {
        let shareDifficulty = job.shareDifficulty
        let policy = vardiff.policy
        guard shareDifficulty < vardiff.difficulty else { return vardiff.difficulty }
        let capped = policy.wholeNumbersOnly ? shareDifficulty.wholeRoundedDown : shareDifficulty
        return Swift.max(capped, policy.wholeNumbersOnly ? .one : StratumDifficulty(raw: 1))
    }

    private mutating func remember(_ sent: SentJob, as jobID: String) {
        if jobs.updateValue(sent, forKey: jobID) == nil { jobOrder.append(jobID) }
        while jobOrder.count > Self.rememberedJobs {
            let dropped = jobOrder.removeFirst()
            jobs.removeValue(forKey: dropped)
        }
    }
}
