import JSON
import BitcoinPrimitives

/// One piece of work for the miners of one payout script, as the node hands it over.
///
/// The coinbase commits to a share header containing the payout script, so
/// `coinbase` is the same for every miner paid to `payoutScript` and differs only
/// by extranonce1 per connection.
public struct MiningJob: Sendable {
    /// The fields, shared by every copy until one is changed (copy on write): a job is
    /// handed to every connection of its payout script and each remembers its last 16
    /// jobs, so a copy costs one reference, not some 300 bytes and a dozen references.
    private final class Storage: @unchecked Sendable {
        var id: String
        var payoutScript: Script
        var prevBlockHash: BlockHash
        var coinbase: StratumCoinbase
        var merkleBranch: [Hash256]
        var version: Int32
        var bits: CompactTarget
        var ntime: UInt32
        var mintime: UInt32
        var shareTarget: UInt256
        var shareDifficulty: StratumDifficulty
        var bitcoinTarget: UInt256
        var clean: Bool
        var coinbaseSizeClass: CoinbaseSizeClass
        var attachment: (any Sendable)?

        init(id: String, payoutScript: Script, prevBlockHash: BlockHash, coinbase: StratumCoinbase,
             merkleBranch: [Hash256], version: Int32, bits: CompactTarget, ntime: UInt32, mintime: UInt32,
             shareTarget: UInt256, shareDifficulty: StratumDifficulty, bitcoinTarget: UInt256, clean: Bool,
             coinbaseSizeClass: CoinbaseSizeClass, attachment: (any Sendable)?) {
            self.id = id
            self.payoutScript = payoutScript
            self.prevBlockHash = prevBlockHash
            self.coinbase = coinbase
            self.merkleBranch = merkleBranch
            self.version = version
            self.bits = bits
            self.ntime = ntime
            self.mintime = mintime
            self.shareTarget = shareTarget
            self.shareDifficulty = shareDifficulty
            self.bitcoinTarget = bitcoinTarget
            self.clean = clean
            self.coinbaseSizeClass = coinbaseSizeClass
            self.attachment = attachment
        }

        func copy() -> Storage {
            Storage(id: id, payoutScript: payoutScript, prevBlockHash: prevBlockHash, coinbase: coinbase,
                    merkleBranch: merkleBranch, version: version, bits: bits, ntime: ntime, mintime: mintime,
                    shareTarget: shareTarget, shareDifficulty: shareDifficulty, bitcoinTarget: bitcoinTarget,
                    clean: clean, coinbaseSizeClass: coinbaseSizeClass, attachment: attachment)
        }
    }

    // Only ever mutated through `unique()`: a Storage shared by two jobs is never written.
    private var storage: Storage

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// The node's id for this job (sent to miners as the Stratum job id).
    public var id: String {
        get { storage.id }
        set { unique().id = newValue }
    }
    /// The payout script the coinbase's share header commits to.
    public var payoutScript: Script {
        get { storage.payoutScript }
        set { unique().payoutScript = newValue }
    }
    /// The previous Bitcoin block.
    public var prevBlockHash: BlockHash {
        get { storage.prevBlockHash }
        set { unique().prevBlockHash = newValue }
    }
    /// coinb1/coinb2 around the extranonces.
    public var coinbase: StratumCoinbase {
        get { storage.coinbase }
        set { unique().coinbase = newValue }
    }
    /// Merkle branch from the coinbase txid to the root (internal byte order).
    public var merkleBranch: [Hash256] {
        get { storage.merkleBranch }
        set { unique().merkleBranch = newValue }
    }
    /// Block version before version rolling.
    public var version: Int32 {
        get { storage.version }
        set { unique().version = newValue }
    }
    /// The Bitcoin target in compact form (header `bits`).
    public var bits: CompactTarget {
        get { storage.bits }
        set { unique().bits = newValue }
    }
    /// The template's current time (`curtime`), the job's ntime.
    public var ntime: UInt32 {
        get { storage.ntime }
        set { unique().ntime = newValue }
    }
    /// The earliest ntime a header may carry (`mintime`).
    public var mintime: UInt32 {
        get { storage.mintime }
        set { unique().mintime = newValue }
    }
    /// The sharechain target for this job: a pseudo-share at or below it is a share.
    public var shareTarget: UInt256 {
        get { storage.shareTarget }
        set {
            let s = unique()
            s.shareTarget = newValue
            s.shareDifficulty = StratumDifficulty(target: newValue)
        }
    }
    /// `StratumDifficulty(target: shareTarget)`, computed once per job (not once per
    /// connection it is sent to: the division is a 256-bit long division).
    public var shareDifficulty: StratumDifficulty { storage.shareDifficulty }
    /// The Bitcoin target: a header hash at or below it is a block.
    public var bitcoinTarget: UInt256 {
        get { storage.bitcoinTarget }
        set { unique().bitcoinTarget = newValue }
    }
    /// Whether miners must drop earlier work (a new previous block or share).
    public var clean: Bool {
        get { storage.clean }
        set { unique().clean = newValue }
    }
    /// The firmware class the coinbase was built for (declared in its share header):
    /// send the job only to miners whose class is this one.
    public var coinbaseSizeClass: CoinbaseSizeClass {
        get { storage.coinbaseSizeClass }
        set { unique().coinbaseSizeClass = newValue }
    }
    /// The work source's own data for this job (for the node: the block template's
    /// transactions and the share header), handed back with every submission so that
    /// a found block can be assembled from the submission alone, however long ago the
    /// job was sent and whatever the work source has forgotten since.
    public var attachment: (any Sendable)? {
        get { storage.attachment }
        set { unique().attachment = newValue }
    }

    /// How far past the job's ntime a submitted ntime may go, in seconds
    /// (Bitcoin accepts up to two hours into the future).
    public static let maximumNTimeRoll: UInt32 = 7200

    /// Creates a job.
    public init(id: String, payoutScript: Script, prevBlockHash: BlockHash, coinbase: StratumCoinbase,
                merkleBranch: [Hash256], version: Int32, bits: CompactTarget, ntime: UInt32, mintime: UInt32,
                shareTarget: UInt256, bitcoinTarget: UInt256, clean: Bool,
                coinbaseSizeClass: CoinbaseSizeClass = .safest, attachment: (any Sendable)? = nil) {
        storage = Storage(id: id, payoutScript: payoutScript, prevBlockHash: prevBlockHash, coinbase: coinbase,
                          merkleBranch: merkleBranch, version: version, bits: bits, ntime: ntime, mintime: mintime,
                          shareTarget: shareTarget, shareDifficulty: StratumDifficulty(target: shareTarget),
                          bitcoinTarget: bitcoinTarget, clean: clean, coinbaseSizeClass: coinbaseSizeClass,
                          attachment: attachment)
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
        MiningNotify(jobID: jobID ?? id, previousBlock: prevBlockHash, coinb1: coinbase.coinb1, coinb2: coinbase.coinb2,
                     merkleBranch: merkleBranch, version: UInt32(bitPattern: version), bits: bits, time: ntime,
                     cleanJobs: clean ?? self.clean)
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
