import BitcoinRPC
import NodeAPI
import PeerNetwork
import Sharechain
import SharechainService
import StratumProtocol

/// The node's events into its Prometheus metrics: the lower modules report what
/// happens through callbacks they own (`ShareChainEvent`, `FoundBlockEvent`,
/// `PeerManagerConfiguration.onPeerCountChange`), and the node records them here.
extension NodeMetrics {
    /// Records what the sharechain just did.
    func record(_ event: ShareChainEvent) {
        switch event {
        case .accepted(let local):
            shareAccepted(source: local ? .local : .peer)
        case .orphaned(let local):
            shareOrphaned(source: local ? .local : .peer)
        case .duplicate(let local):
            shareRejected(source: local ? .local : .peer, reason: "duplicate")
        case .refused(let error, let local):
            shareRejected(source: local ? .local : .peer, reason: error.metricReason)
        case .storeFailure(let local):
            shareRejected(source: local ? .local : .peer, reason: "store_failure")
        case .newTip(let height):
            setTipHeight(height)
        case .pruned(let count):
            sharesPruned(count)
        case .stored(let count):
            setStoredShares(count)
        }
    }

    /// Records what the block submitter just did.
    func record(_ event: FoundBlockEvent) {
        switch event {
        case .found: blockFound()
        case .answered(let result, let latency): blockSubmitted(BlockResult(result), latency: latency)
        case .failed: blockSubmitted(.failed)
        case .dropped: blockSubmitted(.dropped)
        }
    }
}

extension NodeMetrics {
    /// Records a miner's `mining.submit` answer (nil: accepted).
    func recordSubmit(rejected reason: StratumRejectReason?) {
        stratumSubmit(result: reason.map(\.metricResult) ?? "accepted")
    }
}

extension StratumRejectReason {
    /// The `result` label of `tidepool_stratum_submits_total`: the reason in snake case.
    var metricResult: String {
        var out = ""
        for c in rawValue {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}

extension NodeMetrics.BlockResult {
    /// The `result` label of a `submitblock` answer.
    init(_ result: SubmitBlockResult) {
        switch result {
        case .accepted: self = .accepted
        case .duplicate: self = .duplicate
        case .inconclusive, .duplicateInconclusive: self = .inconclusive
        case .rejected, .duplicateInvalid: self = .rejected
        }
    }
}

extension ShareRuleError {
    /// The `reason` label of `tidepool_shares_rejected_total`: the rule's name in snake case.
    var metricReason: String {
        switch self {
        case .notTheAdoptedRoot: return "not_the_adopted_root"
        case .unknownBitcoinBlock: return "unknown_bitcoin_block"
        case .wrongBitcoinBits: return "wrong_bitcoin_bits"
        case .forkTooDeep: return "fork_too_deep"
        case .windowBeyondRetainedHistory: return "window_beyond_retained_history"
        case .timestampTooFarInFuture: return "timestamp_too_far_in_future"
        case .wrongConsensusID: return "wrong_consensus_id"
        case .unsupportedVersion: return "unsupported_version"
        case .badSignature: return "bad_signature"
        case .nodeKeyNotAllowed: return "node_key_not_allowed"
        case .badHeight: return "bad_height"
        case .badGenesisTarget: return "bad_genesis_target"
        case .invalidBits: return "invalid_bits"
        case .targetTooEasy: return "target_too_easy"
        case .insufficientProofOfWork: return "insufficient_proof_of_work"
        case .timestampTooEarly: return "timestamp_too_early"
        case .nonStandardPayoutScript: return "non_standard_payout_script"
        case .missingCoinbaseHeight: return "missing_coinbase_height"
        case .merkleRootMismatch: return "merkle_root_mismatch"
        case .unknownCoinbaseSizeClass: return "unknown_coinbase_size_class"
        case .coinbaseExceedsSizeClass: return "coinbase_exceeds_size_class"
        case .payoutSplitFailed: return "payout_split_failed"
        }
    }
}
