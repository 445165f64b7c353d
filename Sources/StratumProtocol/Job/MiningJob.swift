import JSON
import BitcoinPrimitives

/// One piece of work for the miners of one payout script, as the node hands it over.
///
/// The coinbase commits to a share header containing the payout script, so
/// `coinbase` is the same for every miner paid to `payoutScript` and differs only
/// by extranonce1 per connection.
@dynamicMemberLookup
public struct MiningJob: Sendable {
    /// A job's fields. Read and written as if they were the job's own (`job.ntime`,
    /// `job.clean = false`): the job shares one copy of them among all its copies until one
    /// is changed (copy on write). A job is handed to every connection of its payout script
    /// and each remembers its last 16 jobs, so a copy costs one reference, not some 300
    /// bytes and a dozen references.
    public struct Fields: Sendable {
        /// The node's id for this job (sent to miners as the Stratum job id).
        public var id: String
        /// The payout script the coinbase's share header commits to.
        public var payoutScript: Script
        /// The previous Bitcoin block.
        public var prevBlockHash: BlockHash
        /// coinb1/coinb2 around the extranonces.
        public var coinbase: StratumCoinbase
        /// Merkle branch from the coinbase txid to the root (internal byte order).
        public var merkleBranch: [Hash256]
        /// Block version before version rolling.
        public var version: Int32
        /// The Bitcoin target in compact form (header `bits`).
        public var bits: CompactTarget
        /// The template's current time (`curtime`), the job's ntime.
        public var ntime: UInt32
        /// The earliest ntime a header may carry (`mintime`).
        public var mintime: UInt32
        /// The sharechain target for this job: a pseudo-share at or below it is a share.
        public var shareTarget: UInt256 {
            didSet { shareDifficulty = StratumDifficulty(target: shareTarget) }
        }
        /// `StratumDifficulty(target: shareTarget)`, computed once per job (not once per
        /// connection it is sent to: the division is a 256-bit long division).
        public internal(set) var shareDifficulty: StratumDifficulty
        /// The Bitcoin target: a header hash at or below it is a block.
        public var bitcoinTarget: UInt256
        /// Whether miners must drop earlier work (a new previous block or share).
        public var clean: Bool
        /// The firmware class the coinbase was built for (declared in its share header):
        /// send the job only to miners whose class is this one.
        public var coinbaseSizeClass: CoinbaseSizeClass
        /// The work source's own data for this job (for the node: the block template's
        /// transactions and the share header), handed back with every submission so that
        /// a found block can be assembled from the submission alone, however long ago the
        /// job was sent and whatever the work source has forgotten since.
        public var attachment: (any Sendable)?
    }

    /// The one reference every copy of the job shares until one is changed.
    private final class Storage: @unchecked Sendable {
        // Only written through `subscript(dynamicMember:)` after the uniqueness check:
        // a Storage shared by two jobs is never written.
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    /// Reads a field.
    public subscript<Value>(dynamicMember keyPath: KeyPath<Fields, Value>) -> Value {
        storage.fields[keyPath: keyPath]
    }

    /// Reads or writes a field; a write first gives this job its own copy if it shares one.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<Fields, Value>) -> Value {
        get { storage.fields[keyPath: keyPath] }
        set {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
            storage.fields[keyPath: keyPath] = newValue
        }
    }

    /// All fields at once.
    public var fields: Fields { storage.fields }

    /// How far past the job's ntime a submitted ntime may go, in seconds
    /// (Bitcoin accepts up to two hours into the future).
    public static let maximumNTimeRoll: UInt32 = 7200

    /// Creates a job.
    public init(id: String, payoutScript: Script, prevBlockHash: BlockHash, coinbase: StratumCoinbase,
                merkleBranch: [Hash256], version: Int32, bits: CompactTarget, ntime: UInt32, mintime: UInt32,
                shareTarget: UInt256, bitcoinTarget: UInt256, clean: Bool,
                coinbaseSizeClass: CoinbaseSizeClass = .safest, attachment: (any Sendable)? = nil) {
        storage = Storage(Fields(id: id, payoutScript: payoutScript, prevBlockHash: prevBlockHash, coinbase: coinbase,
                                 merkleBranch: merkleBranch, version: version, bits: bits, ntime: ntime, mintime: mintime,
                                 shareTarget: shareTarget, shareDifficulty: StratumDifficulty(target: shareTarget),
                                 bitcoinTarget: bitcoinTarget, clean: clean, coinbaseSizeClass: coinbaseSizeClass,
                                 attachment: attachment))
    }

    /// The nine `mining.notify` parameters:
    /// job id, prevhash, coinb1, coinb2, merkle branch, version, nbits, ntime, clean.
    ///
    /// - Parameters:
    ///   - jobID: the id the miner sees (defaults to `id`).
    ///   - clean: the clean flag to send (defaults to `clean`).
    public func notifyParams(jobID: String? = nil, clean: Bool? = nil) -> [JSONValue] {
        notify(jobID: jobID, clean: clean).notifyParams
    }

    /// The `mining.notify` message for this job (see `notifyParams(jobID:clean:)`).
    public func notify(jobID: String? = nil, clean: Bool? = nil) -> MiningNotify {
        let f = storage.fields
        return MiningNotify(jobID: jobID ?? f.id, previousBlock: f.prevBlockHash, coinb1: f.coinbase.coinb1,
                            coinb2: f.coinbase.coinb2, merkleBranch: f.merkleBranch, version: UInt32(bitPattern: f.version),
                            bits: f.bits, time: f.ntime, cleanJobs: clean ?? f.clean)
    }

    /// The previous block hash as Stratum sends it: internal byte order with every
    /// 4-byte group reversed (eight big-endian 32-bit words).
    public static func stratumPrevHash(_ hash: BlockHash) -> String {
        StratumPrevHash.encode(hash.rawHash)
    }

    /// A 32-bit value as eight zero-padded lowercase hex digits (most significant first).
    public static func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Parses 1–8 hex digits as a 32-bit value (most significant first), as miners send
    /// ntime, nonce and version bits.
    public static func parseHex32(_ text: String) -> UInt32? {
        guard (1...8).contains(text.utf8.count), Hex.decode(text.count % 2 == 0 ? text : "0" + text) != nil
        else { return nil }
        return UInt32(text, radix: 16)
    }
}
