import JSON
import BitcoinPrimitives
import StratumProtocol

/// One `mining.notify` job, decoded.
public struct PoolJob: Sendable, Hashable {
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
    /// Block version.
    public var version: UInt32
    /// Network target, compact.
    public var bits: CompactTarget
    /// Block time the pool proposes.
    public var time: UInt32
    /// Whether earlier jobs are void.
    public var cleanJobs: Bool

    /// Creates a job from decoded fields.
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

    /// Decodes the nine `mining.notify` params: job id, prevhash (Stratum word-swapped
    /// form), coinb1, coinb2, merkle branch (hex hashes in internal order), version,
    /// nbits, ntime (big-endian hex numbers), clean. Extra params are ignored.
    public init(notifyParams params: [JSONValue]) throws(StratumClientError) {
        guard params.count >= 9 else { throw .malformed("mining.notify needs 9 params, got \(params.count)") }
        guard let jobID = params[0].stringValue else { throw .malformed("mining.notify job id is not a string") }
        guard let prevText = params[1].stringValue, let prev = StratumPrevHash.decode(prevText) else {
            throw .malformed("mining.notify prevhash is not 64 hex digits")
        }
        guard let c1 = params[2].stringValue.flatMap({ Hex.decode($0) }), let c2 = params[3].stringValue.flatMap({ Hex.decode($0) }) else {
            throw .malformed("mining.notify coinbase halves are not hex")
        }
        guard let branchItems = params[4].arrayValue else { throw .malformed("mining.notify merkle branch is not an array") }
        var branch: [Hash256] = []
        for item in branchItems {
            guard let h = item.stringValue.flatMap(Hash256.init(internalHex:)) else {
                throw .malformed("mining.notify merkle branch entry is not 64 hex digits")
            }
            branch.append(h)
        }
        guard let version = Self.word(params[5]), let bits = Self.word(params[6]), let time = Self.word(params[7]) else {
            throw .malformed("mining.notify version/nbits/ntime are not 8 hex digits")
        }
        self.init(jobID: jobID, previousBlock: BlockHash(rawHash: prev), coinb1: c1, coinb2: c2,
                  merkleBranch: branch, version: version, bits: CompactTarget(rawValue: bits), time: time,
                  cleanJobs: params[8].boolValue ?? false)
    }

    private static func word(_ value: JSONValue) -> UInt32? {
        guard let text = value.stringValue, text.utf8.count == 8, Hex.decode(text) != nil else { return nil }
        return UInt32(text, radix: 16)
    }

    /// The coinbase transaction's non-witness bytes: `coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2`.
    public func coinbase(extranonce1: [UInt8], extranonce2: [UInt8]) -> [UInt8] {
        coinb1 + extranonce1 + extranonce2 + coinb2
    }

    /// The merkle root for the given extranonces: the coinbase txid hashed up the branch.
    public func merkleRoot(extranonce1: [UInt8], extranonce2: [UInt8]) -> MerkleRoot {
        let txid = Txid(rawHash: SHA256d.hash(coinbase(extranonce1: extranonce1, extranonce2: extranonce2)))
        return Merkle.root(coinbaseTxid: txid, branch: merkleBranch)
    }

    /// The 80-byte header for the given extranonces and nonce (time as the pool sent it).
    public func header(extranonce1: [UInt8], extranonce2: [UInt8], nonce: UInt32) -> BlockHeader {
        BlockHeader(version: Int32(bitPattern: version), prevBlock: previousBlock,
                    merkleRoot: merkleRoot(extranonce1: extranonce1, extranonce2: extranonce2),
                    time: time, bits: bits, nonce: nonce)
    }
}
