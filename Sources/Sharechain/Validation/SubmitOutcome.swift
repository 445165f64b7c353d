import BitcoinPrimitives

/// What happened to a share handed to the chain: the one verdict every submitter sees
/// (the peer network for peers' shares, the mining coordinator and the Stratum side for
/// local miners' shares).
public enum SubmitOutcome: Sendable, Equatable, CustomStringConvertible {
    /// Stored and indexed. `adopted` lists it and any orphans it released, in
    /// acceptance order (all to be announced); `newTip` is the best tip when it moved.
    case accepted(newTip: ShareHash?, adopted: [ShareHash])
    /// Already known (indexed or waiting as an orphan): no rule broken.
    case duplicate
    /// Parent unknown; kept in the orphan pool until it arrives: no rule broken yet.
    case orphan(missingParent: ShareHash)
    /// Broke a rule; `error.penalty` says what the sender deserves.
    case rejected(ShareRuleError)
    /// Valid but could not be stored (the node's problem, not the sender's).
    case storeFailure(String)

    public var description: String {
        switch self {
        case .accepted(let tip, _): return tip == nil ? "accepted on a side branch" : "accepted, new tip"
        case .duplicate: return "already known"
        case .orphan(let parent): return "parent \(parent) unknown (kept as orphan)"
        case .rejected(let error): return error.description
        case .storeFailure(let why): return "store failure: \(why)"
        }
    }

    /// Whether the share is in the chain now.
    public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }
}

extension Sharechain {
    /// Where a share stands before its rules are checked: `.duplicate` when it is indexed,
    /// `.orphan(missingParent:)` when its parent is not, nil when `validate(_:)` can judge it.
    public func precheck(_ share: WireShare) -> SubmitOutcome? {
        if index.contains(share.hash) { return .duplicate }
        let previous = share.header.previousShare
        if previous != .none, !index.contains(previous) { return .orphan(missingParent: previous) }
        return nil
    }
}
