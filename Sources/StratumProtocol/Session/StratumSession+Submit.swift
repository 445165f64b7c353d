import JSON
import BitcoinPrimitives

extension StratumSession {
    /// The parsed parameters of `mining.submit`.
    struct SubmitParams {
        var workerName: String
        var jobID: String
        var extranonce2: [UInt8]
        var ntime: UInt32
        var nonce: UInt32
        var versionBits: UInt32?
    }

    static func parseSubmit(_ params: [JSONValue]) -> SubmitParams? {
        guard params.count == 5 || params.count == 6,
              let workerName = params[0].stringValue,
              let jobID = params[1].stringValue,
              let en2Text = params[2].stringValue, let extranonce2 = Hex.decode(en2Text),
              extranonce2.count == StratumCoinbase.extranonce2Size,
              let ntime = params[3].stringValue.flatMap(MiningJob.parseHex32),
              let nonce = params[4].stringValue.flatMap(MiningJob.parseHex32)
        else { return nil }
        var versionBits: UInt32?
        if params.count == 6 {
            guard let bits = params[5].stringValue.flatMap(MiningJob.parseHex32) else { return nil }
            versionBits = bits
        }
        return SubmitParams(workerName: workerName, jobID: jobID, extranonce2: extranonce2,
                            ntime: ntime, nonce: nonce, versionBits: versionBits)
    }

    /// The rolled version: `(job & ~mask) | (bits & mask)`, or nil when `bits` has bits
    /// outside the negotiated mask. A miner that sends its whole version (non-rollable
    /// bits equal to the job's) instead of only the rolled bits is accepted too.
    static func rolledVersion(job: Int32, bits: UInt32?, mask: UInt32) -> Int32? {
        let base = UInt32(bitPattern: job)
        guard let bits else { return job }
        let outside = bits & ~mask
        guard outside == 0 || outside == base & ~mask else { return nil }
        return Int32(bitPattern: (base & ~mask) | (bits & mask))
    }

    /// `mining.submit(worker, job id, extranonce2, ntime, nonce[, version bits])`.
    ///
    /// Order (Docs/STRATUM.md, "Submit checks, in order"): find the job → build and hash the header → block check
    /// (a block is submitted even when the job is stale) → stale → ntime range →
    /// the job's vardiff target → duplicate → accepted (a share if it meets the
    /// share target).
    mutating func submit(_ request: StratumRequest, now: ContinuousClock.Instant) -> [StratumAction] {
        guard subscribed else { return reject(request, .notSubscribed, .notSubscribed) }
        guard let worker else { return reject(request, .unauthorized, .unauthorized) }
        guard let params = Self.parseSubmit(request.params) else {
            return reject(request, .invalidParams,
                          .other("Invalid params: expected [worker, job id, extranonce2 (16 hex), ntime, nonce[, version bits]]"))
        }
        guard let sent = jobs[params.jobID] else { return reject(request, .jobNotFound, .jobNotFound) }
        let job = sent.job
        guard let version = Self.rolledVersion(job: job.version, bits: params.versionBits, mask: versionMask) else {
            return reject(request, .invalidVersionBits, .invalidVersionBits)
        }
        let coinbase: [UInt8]
        do {
            coinbase = try job.coinbase.serialized(extranonce1: extranonce1, extranonce2: params.extranonce2)
        } catch {
            return reject(request, .invalidParams, .other("Invalid extranonce: \(error)"))
        }
        let merkleRoot = Merkle.root(coinbaseTxid: Txid(rawHash: SHA256d.hash(coinbase)), branch: job.merkleBranch)
        let header = BlockHeader(version: version, prevBlock: job.prevBlockHash, merkleRoot: merkleRoot,
                                 time: params.ntime, bits: job.bits, nonce: params.nonce)
        let hash = header.hash
        let value = hash.rawHash.asUInt256
        let submission = StratumSubmission(job: job, header: header, hash: hash, extranonce1: extranonce1,
                                           extranonce2: params.extranonce2, coinbase: coinbase, worker: worker,
                                           difficulty: sent.difficulty)
        var actions: [StratumAction] = []
        if value <= job.bitcoinTarget {
            actions.append(.submitBlock(submission))
            stats.recordBlock()
        }
        if sent.epoch < epoch { return actions + reject(request, .stale, .stale) }
        guard params.ntime >= job.mintime, UInt64(params.ntime) <= UInt64(job.ntime) + UInt64(MiningJob.maximumNTimeRoll)
        else { return actions + reject(request, .ntimeOutOfRange, .ntimeOutOfRange) }
        // A hash meeting the share target is never "low difficulty", whatever the vardiff.
        if value > sent.target && value > job.shareTarget {
            return actions + reject(request, .lowDifficulty, .lowDifficulty)
        }
        // The header hash commits to the job's coinbase (merkle root), so one set serves all jobs.
        guard submittedHeaders.insert(hash.rawHash) else {
            return actions + reject(request, .duplicate, .duplicate)
        }
        stats.recordAccepted(sent.difficulty, now: now)
        actions.append(reply(request, .bool(true)))
        if value <= job.shareTarget {
            stats.recordShare()
            actions.append(.submitShare(submission))
        }
        if vardiff.recordShare(now: now) != nil { actions += resendCurrentJob() }
        return actions
    }

    private mutating func reject(_ request: StratumRequest, _ reason: StratumRejectReason,
                                 _ error: StratumError) -> [StratumAction] {
        stats.recordRejected(reason)
        return [fail(request, error)]
    }
}
