import JSON

/// The outcome of `submitblock` (BIP22 results as bitcoind returns them).
public enum SubmitBlockResult: Sendable, Hashable {
    /// `null`: the block was accepted (and, on bitcoind, became or extends the tip).
    case accepted
    /// `"duplicate"`: the block is already known and valid.
    case duplicate
    /// `"duplicate-invalid"`: the block is already known and invalid.
    case duplicateInvalid
    /// `"duplicate-inconclusive"`: the block is already known, validity not decided.
    case duplicateInconclusive
    /// `"inconclusive"`: valid so far but not connected (e.g. it is on a side chain).
    case inconclusive
    /// Any other string: the rejection reason (`"high-hash"`, `"bad-txnmrklroot"`,
    /// `"bad-cb-amount"`, …, or BIP22's generic `"rejected"`).
    case rejected(String)

    /// Reads the `submitblock` result: `null` or a string.
    public init(json: JSONValue) throws(RPCError) {
        switch json {
        case .null: self = .accepted
        case .string(let s): self = SubmitBlockResult(reason: s)
        default: throw .malformedResponse("submitblock: result is neither null nor a string")
        }
    }

    /// Maps a result string to its case (`nil` reason is acceptance).
    public init(reason: String?) {
        switch reason {
        case nil: self = .accepted
        case "duplicate": self = .duplicate
        case "duplicate-invalid": self = .duplicateInvalid
        case "duplicate-inconclusive": self = .duplicateInconclusive
        case "inconclusive": self = .inconclusive
        case let r?: self = .rejected(r)
        }
    }

    /// The result as bitcoind writes it: `null` or the string.
    public var json: JSONValue {
        switch self {
        case .accepted: return .null
        case .duplicate: return "duplicate"
        case .duplicateInvalid: return "duplicate-invalid"
        case .duplicateInconclusive: return "duplicate-inconclusive"
        case .inconclusive: return "inconclusive"
        case .rejected(let r): return .string(r)
        }
    }

    /// Whether the block is (already) part of bitcoind's block tree as valid:
    /// accepted or a valid duplicate.
    public var isAccepted: Bool { self == .accepted || self == .duplicate }
}
