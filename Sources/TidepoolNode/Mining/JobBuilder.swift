import BitcoinPrimitives
import BitcoinRPC
import Ed25519
import Sharechain
import StratumProtocol
import TIDES

/// Everything the node keeps about a job it handed to miners, so that a
/// submitted header can be turned into a signed share or a full block.
public struct JobContext: Sendable {
    /// The job as the Stratum side sees it.
    public var job: MiningJob
    /// The share header the coinbase commits to.
    public var shareHeader: ShareHeader
    /// The coinbase inputs (payouts, height, value, commitments).
    public var coinbase: CoinbaseTemplate
    /// The Bitcoin template the job was built from.
    public var template: BlockTemplate
    /// The split the coinbase pays (for the API and the audit log).
    public var split: TidesSplit
    /// The class the caller asked for.
    public var requestedCoinbaseSizeClass: CoinbaseSizeClass
    /// The class the coinbase was built for and the share header declares: the requested
    /// one, or a smaller one when the template leaves too little block weight for it.
    public var coinbaseSizeClass: CoinbaseSizeClass { shareHeader.coinbaseSizeClass ?? .safest }
}

/// Builds Stratum jobs from a Bitcoin block template and the sharechain tip.
///
/// The share being mined is `s0` of the TIDES window, so the coinbase depends on
/// the miner's payout script: one job per payout script (Docs/PROTOCOL.md,
/// "One coinbase per payout address").
public struct JobBuilder: Sendable {
    public var parameters: SharechainParameters
    public var nodeKey: PublicKey
    /// Raw bytes after the BIP34 height in every coinbase scriptSig (≤ 20).
    public var nodeTag: [UInt8]

    public init(parameters: SharechainParameters, nodeKey: PublicKey, nodeTag: [UInt8] = Array("/tidepool/".utf8)) {
        self.parameters = parameters
        self.nodeKey = nodeKey
        self.nodeTag = nodeTag
    }

    /// Why a job could not be built.
    public enum BuildError: Error, CustomStringConvertible {
        case tides(TidesError)
        case coinbase(CoinbaseError)
        /// The coinbase's halves exceed the firmware limits of its class (a longer height
        /// push or node tag than `CoinbaseLayout` allows for): miners would truncate it.
        case coinbaseExceedsSizeClass(CoinbaseSizeClass, CoinbaseLayout.Halves)
        /// The template's transactions leave less block weight than even the smallest
        /// class's coinbase needs.
        case blockTooHeavy(coinbaseWeightRoom: Int)

        public var description: String {
            switch self {
            case .tides(let e): return "TIDES split failed: \(e)"
            case .coinbase(let e): return "coinbase could not be built: \(e)"
            case .coinbaseExceedsSizeClass(let c, let h):
                return "coinbase (\(h)) exceeds the limits of coinbase size class \(c) (\(c.limits)); refusing the job"
                    + " rather than letting firmware truncate it"
            case .blockTooHeavy(let room):
                return "the template leaves \(room) weight units for the coinbase, less than the smallest class needs"
                    + " (\(CoinbaseSizeClass.allCases.min()!.maxCoinbaseWeight))"
            }
        }
    }

    /// Block weight left for the coinbase by `template`: 4,000,000 less the header, the
    /// transaction count and the template's transactions.
    public static func coinbaseWeightRoom(for template: BlockTemplate) -> Int {
        let count = compactSizeLength(UInt64(template.transactions.count + 1))
        return ConsensusLimits.maxBlockWeight - 4 * (BlockHeader.serializedSize + count)
            - template.transactions.reduce(0) { $0 + $1.weight }
    }

    /// The job for `payoutScript` on top of the chain's best tip, for miners whose
    /// firmware accepts `coinbaseSizeClass` (see `CoinbaseSizeClassPolicy`; the default,
    /// `.safest`, fits every firmware known). The class goes into the share header and
    /// sets the split's payout byte budget; when the template leaves too little block
    /// weight for it, the largest smaller class that fits is used (`JobContext.coinbaseSizeClass`).
    /// Refuses (`BuildError.coinbaseExceedsSizeClass`) a coinbase whose halves exceed the class.
    ///
    /// `now` is the node's clock (Unix seconds); the share timestamp is moved past
    /// the chain's median time past when the clock lags behind it. `merkleBranch` is
    /// the template's coinbase branch when the caller computed it once for all jobs of
    /// the template (O(transactions) each time otherwise).
    public func build(template: BlockTemplate, chain: inout Sharechain, payoutScript: Script, now: UInt64,
                      jobID: String, clean: Bool,
                      coinbaseSizeClass: CoinbaseSizeClass = .safest,
                      merkleBranch: [Hash256]? = nil) throws(BuildError) -> JobContext {
        let room = Self.coinbaseWeightRoom(for: template)
        guard let sizeClass = coinbaseSizeClass.capped(toCoinbaseWeight: room) else {
            throw .blockTooHeavy(coinbaseWeightRoom: room)
        }
        let parent = chain.bestTip
        let bitcoinTarget = template.target
        let required = chain.requiredTarget(parent: parent)
        let bits = CompactTarget(target: required)
        var timestamp = now
        if let p = parent {
            timestamp = max(timestamp, chain.medianTimePast(tip: p) + 1)
        }
        let header = ShareHeader(consensusID: chain.consensusID, previousShare: parent ?? .none,
                                 height: parent.flatMap { chain.index[$0].map { $0.height + 1 } } ?? 0,
                                 bits: bits, timestamp: timestamp, coinbaseSizeClass: sizeClass,
                                 payoutScript: payoutScript, nodeKey: nodeKey)
        let split: TidesSplit
        do {
            split = try chain.split(parent: parent, payoutScript: payoutScript, bits: bits,
                                    networkTarget: bitcoinTarget, reward: template.coinbaseValue,
                                    coinbaseSizeClass: sizeClass)
        } catch {
            throw .tides(error)
        }
        let coinbase: CoinbaseTemplate
        do {
            coinbase = try CoinbaseTemplate(
                bitcoinHeight: Int(template.height), coinbaseValue: template.coinbaseValue,
                witnessCommitment: template.defaultWitnessCommitment ?? Script(), nodeTag: nodeTag,
                payouts: split.outputs, shareHash: header.hash)
        } catch {
            throw .coinbase(error)
        }
        let stratumCoinbase = coinbase.stratumCoinbase
        let halves = CoinbaseLayout.Halves(stratumCoinbase)
        guard sizeClass.admits(halves) else { throw .coinbaseExceedsSizeClass(sizeClass, halves) }
        let job = MiningJob(
            id: jobID, payoutScript: payoutScript, prevBlockHash: template.previousBlockHash,
            coinbase: stratumCoinbase,
            merkleBranch: merkleBranch ?? Merkle.coinbaseBranch(nonCoinbaseTxids: template.transactions.map(\.txid)),
            version: template.version, bits: template.bits, ntime: UInt32(truncatingIfNeeded: template.curtime),
            mintime: UInt32(truncatingIfNeeded: template.mintime),
            shareTarget: (try? bits.target()) ?? required, bitcoinTarget: bitcoinTarget, clean: clean,
            coinbaseSizeClass: sizeClass)
        return JobContext(job: job, shareHeader: header, coinbase: coinbase, template: template, split: split,
                          requestedCoinbaseSizeClass: coinbaseSizeClass)
    }

    /// The signed wire share for a header a miner found on `context`'s job.
    public static func share(from context: JobContext, header: BlockHeader, extranonce1: [UInt8],
                             extranonce2: [UInt8], key: SigningKey) throws -> WireShare {
        WireShare(header: context.shareHeader, signature: key.sign(context.shareHeader.signingMessage),
                  bitcoinHeader: header,
                  coinbaseScriptSig: try context.coinbase.scriptSig(extranonce1: extranonce1, extranonce2: extranonce2),
                  coinbaseValue: context.coinbase.coinbaseValue, witnessCommitment: context.coinbase.witnessCommitment,
                  merkleBranch: context.job.merkleBranch)
    }

    /// The full block for a header that meets the Bitcoin target.
    public static func block(from context: JobContext, header: BlockHeader, extranonce1: [UInt8],
                             extranonce2: [UInt8]) throws -> Block {
        let coinbase = try context.coinbase.transaction(extranonce1: extranonce1, extranonce2: extranonce2)
        return try BlockAssembler.block(header: header, coinbase: coinbase,
                                        transactions: context.template.transactions.map(\.transaction))
    }
}
