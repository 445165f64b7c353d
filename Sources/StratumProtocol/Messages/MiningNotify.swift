import BitcoinPrimitives
import JSON

/// The nine `mining.notify` parameters, both ways: the server encodes a job with
/// `notifyParams`, a miner (`tidepool mine`) decodes one with `init(notifyParams:)`.
///
/// Wire forms: the job id as a string; the previous block hash in Stratum's word-swapped
/// form (`StratumPrevHash`); coinb1 and coinb2 as hex; the merkle branch as hex hashes in
/// internal byte order; version, nbits and ntime as eight big-endian hex digits; the clean
/// flag as a boolean.
public struct MiningNotify: Sendable, Hashable {
    /// The pool's job id, echoed in `mining.submit`.
    public var jobID: String
    /// The previous block hash.
    public var previousBlock: BlockHash
    /// Coinbase bytes before extranonce1.
    public var coinb1: [UInt8]
    /// Coinbase bytes after extranonce2.
    public var coinb2: [UInt8]
    /// The coinbase's merkle branch, bottom first.
    public var merkleBranch: [Hash256]
    /// Block version (before version rolling).
    public var version: UInt32
    /// Network target, compact.
    public var bits: CompactTarget
    /// Block time the pool proposes.
    public var time: UInt32
    /// Whether earlier jobs are void.
    public var cleanJobs: Bool

    /// Creates a message from its fields.
    public init(jobID: String, previousBlock: BlockHash, coinb1: [UInt8], coinb2: [UInt8],
                merkleBranch: [Hash256], version: UInt32, bits: CompactTarget, time: UInt32, cleanJobs: Bool) {
        self.jobID = jobID
        self.previousBlock = previousBlock
        self.coinb1 = coinb1
        self.coinb2 = coinb2
        self.merkleBranch = merkleBranch
        self.version = version
        self.bits = bits
        self.time = time
        self.cleanJobs = cleanJobs
    }

    /// The nine params as the server sends them.
    public var notifyParams: [JSONValue] {
        [
            .string(jobID),
            .string(StratumPrevHash.encode(previousBlock.rawHash)),
            .string(Hex.encode(coinb1)),
            .string(Hex.encode(coinb2)),
            .array(merkleBranch.map { .string($0.internalHex) }),
            .string(MiningJob.hex32(version)),
            .string(MiningJob.hex32(bits.rawValue)),
            .string(MiningJob.hex32(time)),
            .bool(cleanJobs),
        ]
    }

    /// The whole notification.
    public var notification: StratumNotification {
        StratumNotification(method: "mining.notify", params: notifyParams)
    }

    /// Decodes the nine `mining.notify` params (extra params are ignored); a missing or
    /// non-boolean clean flag reads as false.
    public init(notifyParams params: [JSONValue]) throws(StratumMessageError) {
        guard params.count >= 9 else { throw StratumMessageError("mining.notify needs 9 params, got \(params.count)") }
        guard let jobID = params[0].stringValue else { throw StratumMessageError("mining.notify job id is not a string") }
        guard let prevText = params[1].stringValue, let prev = StratumPrevHash.decode(prevText) else {
            throw StratumMessageError("mining.notify prevhash is not 64 hex digits")
        }
        guard let c1 = params[2].stringValue.flatMap({ Hex.decode($0) }),
              let c2 = params[3].stringValue.flatMap({ Hex.decode($0) }) else {
            throw StratumMessageError("mining.notify coinbase halves are not hex")
        }
        guard let branchItems = params[4].arrayValue else {
            throw StratumMessageError("mining.notify merkle branch is not an array")
        }
        var branch: [Hash256] = []
        branch.reserveCapacity(branchItems.count)
        for item in branchItems {
            guard let h = item.stringValue.flatMap(Hash256.init(internalHex:)) else {
                throw StratumMessageError("mining.notify merkle branch entry is not 64 hex digits")
            }
            branch.append(h)
        }
        guard let version = Self.word(params[5]), let bits = Self.word(params[6]), let time = Self.word(params[7]) else {
            throw StratumMessageError("mining.notify version/nbits/ntime are not 8 hex digits")
        }
        self.init(jobID: jobID, previousBlock: BlockHash(rawHash: prev), coinb1: c1, coinb2: c2,
                  merkleBranch: branch, version: version, bits: CompactTarget(rawValue: bits), time: time,
                  cleanJobs: params[8].boolValue ?? false)
    }

    /// Exactly eight hex digits as a big-endian 32-bit value.
    private static func word(_ value: JSONValue) -> UInt32? {
        guard let text = value.stringValue, text.utf8.count == 8, Hex.decode(text) != nil else { return nil }
        return UInt32(text, radix: 16)
    }
}

/// `mining.set_difficulty`, both ways: the server encodes the exact decimal of a 2^-32
/// difficulty; a miner decodes any positive JSON number, rounding *up* to a multiple of
/// 2^-32 (a harder target, so every share it submits meets the pool's exact one; a value
/// below 2^-32 reads as 2^-32).
public struct MiningSetDifficulty: Sendable, Hashable {
    /// The difficulty.
    public var difficulty: StratumDifficulty

    /// Wraps a difficulty.
    public init(_ difficulty: StratumDifficulty) { self.difficulty = difficulty }

    /// The one param, the exact decimal.
    public var params: [JSONValue] { [difficulty.json] }

    /// The whole notification.
    public var notification: StratumNotification {
        StratumNotification(method: "mining.set_difficulty", params: params)
    }

    /// Decodes the params: a positive JSON number first (extra params are ignored).
    public init(params: [JSONValue]) throws(StratumMessageError) {
        guard case .number(let text)? = params.first,
              let d = StratumDifficulty(decimal: text, rounding: .up) else {
            throw StratumMessageError("mining.set_difficulty needs a positive number")
        }
        self.init(d)
    }
}
