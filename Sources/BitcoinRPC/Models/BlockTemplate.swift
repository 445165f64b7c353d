import JSON
import BitcoinPrimitives

/// A block template from `getblocktemplate` (BIP22/BIP23/BIP145), in typed values.
public struct BlockTemplate: Sendable, Equatable {
    /// One non-coinbase transaction of the template, decoded from its hex.
    public struct Entry: Sendable, Equatable {
        /// The decoded transaction.
        public var transaction: Transaction
        /// Its txid (checked against the template's `txid`).
        public var txid: Txid
        /// Its wtxid (checked against the template's `hash`).
        public var wtxid: Wtxid
        /// The fee it pays.
        public var fee: Amount
        /// Its BIP141 weight.
        public var weight: Int

        /// Creates an entry; txid, wtxid and weight are computed from `transaction`.
        public init(transaction: Transaction, fee: Amount) {
            self.transaction = transaction
            self.txid = transaction.txid
            self.wtxid = transaction.wtxid
            self.fee = fee
            self.weight = transaction.weight
        }
    }

    /// Block version to use (version bits already set by bitcoind).
    public var version: Int32
    /// The block the new block builds on.
    public var previousBlockHash: BlockHash
    /// The transactions to include after the coinbase, in order.
    public var transactions: [Entry]
    /// Subsidy plus fees: the most the coinbase may pay out.
    public var coinbaseValue: Amount
    /// The compact target the block must carry.
    public var bits: CompactTarget
    /// The expanded target (bitcoind's `target` field).
    public var target: UInt256
    /// Height of the new block (for the BIP34 coinbase prefix).
    public var height: Int
    /// bitcoind's current time for the header.
    public var curtime: UInt32
    /// The earliest header time allowed (median time past + 1).
    public var mintime: UInt32
    /// The coinbase output script committing to the witnesses (BIP141), if any.
    public var defaultWitnessCommitment: Script?
    /// Active consensus rules (e.g. `csv`, `!segwit`, `taproot`).
    public var rules: [String]
    /// Identifier for long polling, if the server supports it.
    public var longPollID: String?
    /// On signet, the challenge script every block must satisfy (BIP325); nil elsewhere.
    public var signetChallenge: Script?

    /// Creates a template from typed values.
    public init(version: Int32, previousBlockHash: BlockHash, transactions: [Entry], coinbaseValue: Amount,
                bits: CompactTarget, target: UInt256, height: Int, curtime: UInt32, mintime: UInt32,
                defaultWitnessCommitment: Script?, rules: [String], longPollID: String?,
                signetChallenge: Script? = nil) {
        self.version = version
        self.previousBlockHash = previousBlockHash
        self.transactions = transactions
        self.coinbaseValue = coinbaseValue
        self.bits = bits
        self.target = target
        self.height = height
        self.curtime = curtime
        self.mintime = mintime
        self.defaultWitnessCommitment = defaultWitnessCommitment
        self.rules = rules
        self.longPollID = longPollID
        self.signetChallenge = signetChallenge
    }

    /// Whether a pool can mine this template: everywhere but on a signet whose
    /// challenge needs a signature. A block without a signet solution is checked with
    /// an empty scriptSig and witness (BIP325), so only a challenge that is true on an
    /// empty stack works: a single `OP_1NEGATE`, `OP_TRUE` or `OP_2`…`OP_16`.
    public var isMineableWithoutSignetSolution: Bool {
        guard let challenge = signetChallenge else { return true }
        guard challenge.bytes.count == 1, let op = challenge.bytes.first else { return false }
        return op == 0x4f || (0x51...0x60).contains(op)
    }

    /// Total fees of the template's transactions.
    public var totalFees: Amount { Amount.sum(transactions.map(\.fee)) ?? .maxMoney }
}

// MARK: - From bitcoind's JSON

extension BlockTemplate {
    /// Converts a `getblocktemplate` result. Every transaction is decoded and its
    /// txid and wtxid checked against the fields bitcoind sent.
    public init(json: JSONValue) throws(RPCError) {
        let ctx = "getblocktemplate"
        let versionValue = try json.int("version", in: ctx)
        guard let version = Int32(exactly: versionValue) ?? UInt32(exactly: versionValue).map(Int32.init(bitPattern:)) else {
            throw .malformedResponse("\(ctx): version out of range")
        }
        guard let bits = CompactTarget(hex: try json.string("bits", in: ctx)) else {
            throw .malformedResponse("\(ctx): bits is not 8 hex digits")
        }
        guard let target = UInt256(hex: try json.string("target", in: ctx)) else {
            throw .malformedResponse("\(ctx): target is not hex")
        }
        guard let value = Amount(satoshis: try json.int("coinbasevalue", in: ctx)) else {
            throw .malformedResponse("\(ctx): coinbasevalue out of range")
        }
        let height = try json.int("height", in: ctx)
        guard height >= 0, height <= Int64(Int32.max) else { throw .malformedResponse("\(ctx): height out of range") }
        var commitment: Script?
        if let c = json["default_witness_commitment"], !c.isNull {
            guard let hex = c.stringValue, let script = Script(hex: hex) else {
                throw .malformedResponse("\(ctx): default_witness_commitment is not hex")
            }
            commitment = script
        }
        var challenge: Script?
        if let c = json["signet_challenge"], !c.isNull {
            guard let hex = c.stringValue, let script = Script(hex: hex) else {
                throw .malformedResponse("\(ctx): signet_challenge is not hex")
            }
            challenge = script
        }
        let rules = try json.array("rules", in: ctx).compactMap(\.stringValue)
        var entries: [Entry] = []
        for (i, tx) in try json.array("transactions", in: ctx).enumerated() {
            entries.append(try Entry(json: tx, context: "\(ctx) transaction \(i)"))
        }
        self.init(version: version, previousBlockHash: try json.blockHash("previousblockhash", in: ctx),
                  transactions: entries, coinbaseValue: value, bits: bits, target: target, height: Int(height),
                  curtime: try json.uint32("curtime", in: ctx), mintime: try json.uint32("mintime", in: ctx),
                  defaultWitnessCommitment: commitment, rules: rules,
                  longPollID: json["longpollid"]?.stringValue, signetChallenge: challenge)
    }
}

extension BlockTemplate.Entry {
    init(json: JSONValue, context: String) throws(RPCError) {
        guard let raw = Hex.decode(try json.string("data", in: context)) else {
            throw .malformedResponse("\(context): data is not hex")
        }
        let tx: Transaction
        do { tx = try Transaction(serialized: raw) } catch {
            throw .malformedResponse("\(context): undecodable transaction (\(error))")
        }
        guard let fee = Amount(satoshis: try json.int("fee", in: context)) else {
            throw .malformedResponse("\(context): fee out of range")
        }
        self.init(transaction: tx, fee: fee)
        if let txidHex = json["txid"]?.stringValue, Txid(displayHex: txidHex) != txid {
            throw .malformedResponse("\(context): txid does not match the data")
        }
        if let hashHex = json["hash"]?.stringValue, Wtxid(displayHex: hashHex) != wtxid {
            throw .malformedResponse("\(context): hash (wtxid) does not match the data")
        }
    }
}

// MARK: - To bitcoind's JSON (served by the devnet)

extension BlockTemplate {
    /// The template as bitcoind's `getblocktemplate` returns it (all BIP22 fields
    /// bitcoind sends, with the same names).
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "capabilities": ["proposal"],
            "version": .int(Int64(version)),
            "rules": .array(rules.map(JSONValue.string)),
            "vbavailable": .object([]),
            "vbrequired": 0,
            "previousblockhash": .string(previousBlockHash.description),
            "transactions": .array(transactions.map { e -> JSONValue in
                [
                    "data": .string(Hex.encode(e.transaction.serialized)),
                    "txid": .string(e.txid.description),
                    "hash": .string(e.wtxid.description),
                    "depends": [],
                    "fee": .int(e.fee.satoshis),
                    "sigops": 0,
                    "weight": .int(Int64(e.weight)),
                ]
            }),
            "coinbaseaux": .object([]),
            "coinbasevalue": .int(coinbaseValue.satoshis),
            "target": .string(target.hexString),
            "mintime": .int(Int64(mintime)),
            "mutable": ["time", "transactions", "prevblock"],
            "noncerange": "00000000ffffffff",
            "sigoplimit": 80000,
            "sizelimit": 4_000_000,
            "weightlimit": 4_000_000,
            "curtime": .int(Int64(curtime)),
            "bits": .string(bits.hex),
            "height": .int(Int64(height)),
        ]
        if let c = defaultWitnessCommitment { o["default_witness_commitment"] = .string(c.hex) }
        if let l = longPollID { o["longpollid"] = .string(l) }
        if let c = signetChallenge { o["signet_challenge"] = .string(c.hex) }
        return .sortedObject(o)
    }
}
