import JSON
import BitcoinPrimitives

extension StratumSession {
    /// `mining.subscribe([user agent[, session id]])` →
    /// `[[["mining.set_difficulty", id], ["mining.notify", id]], extranonce1, 8]`.
    mutating func subscribe(_ request: StratumRequest) -> [StratumAction] {
        let wasReady = isReady
        if let agent = request.params.first?.stringValue { userAgent = String(agent.prefix(256)) }
        subscribed = true
        let en1 = Hex.encode(extranonce1)
        let result: JSONValue = .array([
            .array([.array([.string("mining.set_difficulty"), .string(en1)]),
                    .array([.string("mining.notify"), .string(en1)])]),
            .string(en1),
            .integer(StratumCoinbase.extranonce2Size),
        ])
        return [reply(request, result)] + becameReady(wasReady)
    }

    /// `mining.authorize(username[, password[, …]])`: the username is a payout address
    /// of the node's network with an optional `.worker`; a password `d=N` (also among
    /// comma-separated options) asks for starting difficulty N.
    mutating func authorize(_ request: StratumRequest, now: ContinuousClock.Instant) -> [StratumAction] {
        guard (1...3).contains(request.params.count), let username = request.params[0].stringValue else {
            return [fail(request, .other("Invalid params: expected [username, password]"))]
        }
        let candidate: StratumWorker
        do {
            candidate = try StratumWorker(username: username, network: network)
        } catch {
            return [fail(request, StratumError(code: 24,
                message: "Invalid payout address for \(networkName) in username '\(username.prefix(100))': \(error)"))]
        }
        if let worker, worker.payoutScript != candidate.payoutScript {
            return [fail(request, StratumError(code: 24,
                message: "This connection is already authorized for \(worker.address.encoded(for: network))"))]
        }
        let wasReady = isReady
        if worker == nil {
            worker = candidate
            authorizedUsername = username
            authorizedPassword = request.params.count > 1 ? request.params[1].stringValue : nil
        }
        var actions = [reply(request, .bool(true))]
        if request.params.count > 1, let password = request.params[1].stringValue,
           let requested = Self.requestedDifficulty(password: password) {
            vardiff.set(requested, now: now)
            if wasReady { actions += resendCurrentJob() }
        }
        return actions + becameReady(wasReady)
    }

    /// `d=N` among the password's comma/space/semicolon-separated options.
    static func requestedDifficulty(password: String) -> StratumDifficulty? {
        for option in password.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }) {
            if option.hasPrefix("d="), let d = StratumDifficulty(decimal: String(option.dropFirst(2))) { return d }
        }
        return nil
    }

    private mutating func becameReady(_ wasReady: Bool) -> [StratumAction] {
        guard !wasReady, isReady, let worker else { return [] }
        // Chosen once both the user agent (subscribe) and the username/password
        // (authorize) are known, whichever came first.
        let (sizeClass, reason) = coinbaseSizeClassPolicy.choose(username: authorizedUsername ?? "",
                                                                 password: authorizedPassword, userAgent: userAgent)
        coinbaseSizeClass = sizeClass
        coinbaseSizeClassReason = reason
        return [.ready(JobKey(payoutScript: worker.payoutScript, coinbaseSizeClass: sizeClass))]
    }

    /// `mining.configure([extensions], {parameters})` (BIP310). Every requested extension
    /// is answered: `version-rolling` with mask = ours & theirs (false if that leaves
    /// fewer bits than `version-rolling.min-bit-count`), `subscribe-extranonce` true
    /// (extranonce1 never changes), anything else false.
    mutating func configure(_ request: StratumRequest, now: ContinuousClock.Instant) -> [StratumAction] {
        guard let extensions = request.params.first?.arrayValue else {
            return [fail(request, .other("Invalid params: expected [[extensions], {parameters}]"))]
        }
        let parameters = request.params.count > 1 ? request.params[1] : .object([])
        var result: [JSONMember] = []
        for item in extensions {
            guard let name = item.stringValue else { continue }
            switch name {
            case "version-rolling":
                let theirs = parameters["version-rolling.mask"]?.stringValue.flatMap(MiningJob.parseHex32) ?? 0xffff_ffff
                let minBits = parameters["version-rolling.min-bit-count"]?.int64Value ?? 0
                let mask = Self.serverVersionMask & theirs
                if Int64(mask.nonzeroBitCount) >= minBits && mask != 0 {
                    versionMask = mask
                    result.append(JSONMember("version-rolling", .bool(true)))
                    result.append(JSONMember("version-rolling.mask", .string(MiningJob.hex32(mask))))
                } else {
                    versionMask = 0
                    result.append(JSONMember("version-rolling", .bool(false)))
                }
            case "subscribe-extranonce":
                result.append(JSONMember(name, .bool(true)))
            default:
                result.append(JSONMember(name, .bool(false)))
            }
        }
        return [reply(request, .object(result))]
    }

    /// `mining.suggest_difficulty(N)`, accepted at any time: becomes the connection's
    /// difficulty (within the policy's bounds); once work was sent, the current job is
    /// re-sent at the new difficulty.
    ///
    /// A suggestion equal to the difficulty already in force changes nothing, not even the
    /// vardiff measurement: NerdMiner repeats its suggestion every 30 s as a keep-alive,
    /// which would otherwise restart the measurement before vardiff could ever judge it.
    mutating func suggestDifficulty(_ request: StratumRequest, now: ContinuousClock.Instant) -> [StratumAction] {
        let text = request.params.first.flatMap { $0.numberText ?? $0.stringValue }
        guard let text, let requested = StratumDifficulty(decimal: text) else {
            return [fail(request, .other("Invalid params: expected a positive difficulty"))]
        }
        // A suggestion repeated as a keep-alive (NerdMiner sends the same one every 30 s)
        // changes nothing: vardiff keeps what it measured since (as ckpool's suggest_diff).
        if requested == lastSuggestedDifficulty { return [reply(request, .bool(true))] }
        let clamped = vardiff.policy.clamp(requested)
        if clamped < vardiff.difficulty, currentJobID != nil,
           let last = lastLoweringSuggestion, now - last < Self.suggestionLowerInterval {
            // Lowering again within the interval: answered, not applied (vardiff goes on).
            return [reply(request, .bool(true))]
        }
        if clamped < vardiff.difficulty, currentJobID != nil { lastLoweringSuggestion = now }
        lastSuggestedDifficulty = requested
        if clamped != vardiff.difficulty { vardiff.set(requested, now: now) }
        return [reply(request, .bool(true))] + resendCurrentJob()
    }
}
