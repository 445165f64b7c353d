import BitcoinPrimitives
import BitcoinRPC
import Ed25519
import Logging
import Sharechain
import StratumProtocol
import StratumServer
import TIDES

/// What the coordinator needs from the rest of the node (consumer-owned).
public protocol MiningBackend: Sendable {
    /// Runs `body` on the node's sharechain (serialized with share acceptance).
    func withChain<T: Sendable>(_ body: @Sendable (inout Sharechain) throws -> T) async throws -> T
    /// Validates, stores, inserts and gossips a share found by a local miner;
    /// returns a one-line description of the outcome and whether it was accepted.
    func publishShare(_ share: WireShare) async -> (accepted: Bool, detail: String)
    /// Submits a found block to bitcoind and relays it to peers.
    func submitBlock(_ block: Block) async -> SubmitBlockResult?
    /// The wall clock, Unix seconds (injected for tests).
    func now() -> UInt64
    /// Whether the sharechain is synced; until then miners get no work, so nobody
    /// mines on a private fork by accident.
    var isSynced: Bool { get }
}

/// A block found by this node's miners.
public struct FoundBlock: Sendable, Equatable {
    public var height: Int
    public var hash: BlockHash
    public var shareHash: ShareHash
    public var time: UInt64
    public var reward: Amount
    /// bitcoind's verdict (`nil`: could not be submitted).
    public var result: SubmitBlockResult?
}

/// Turns Bitcoin templates and sharechain tips into Stratum jobs, and miners'
/// submissions into shares and blocks. One job per payout script; every job is
/// rebuilt on a new Bitcoin template or a new sharechain tip.
public actor MiningCoordinator: StratumWorkSource, StratumSubmissionSink {
    private let builder: JobBuilder
    private let key: SigningKey
    private let backend: any MiningBackend
    private let logger: Logger
    private var stratum: StratumServer?
    private var template: BlockTemplate?
    private var current: [Script: JobContext] = [:]
    private var contexts: [String: JobContext] = [:]
    private var contextOrder: [String] = []
    private var nextJob: UInt64 = 0
    /// Blocks found by this node, newest last (bounded).
    public private(set) var foundBlocks: [FoundBlock] = []
    /// Shares found by local miners and accepted.
    public private(set) var acceptedShares: UInt64 = 0
    /// Shares found by local miners and rejected by the chain (e.g. stale parents).
    public private(set) var rejectedShares: UInt64 = 0

    /// Jobs kept for late submissions (across all payout scripts).
    public static let retainedJobs = 512

    public init(builder: JobBuilder, key: SigningKey, backend: any MiningBackend, logger: Logger) {
        self.builder = builder
        self.key = key
        self.backend = backend
        self.logger = logger
    }

    /// Connects the Stratum server jobs are published to.
    public func attach(_ server: StratumServer) { stratum = server }

    /// The template jobs are currently built from.
    public var currentTemplate: BlockTemplate? { template }

    /// The split paid by the most recently built job ("payout if a block were found now").
    public private(set) var latestSplit: TidesSplit?

    // MARK: New work

    /// A new Bitcoin template: rebuild every job (clean when the previous block changed).
    public func templateUpdated(_ newTemplate: BlockTemplate) async {
        let clean = template?.previousBlockHash != newTemplate.previousBlockHash
        template = newTemplate
        await rebuildAll(clean: clean)
    }

    /// A new sharechain tip: every job's parent share changed.
    public func tipChanged() async {
        await rebuildAll(clean: true)
    }

    private func rebuildAll(clean: Bool) async {
        guard let template else { return }
        guard backend.isSynced else {
            logger.info("sharechain not synced yet: holding back work")
            return
        }
        var jobs: [Script: MiningJob] = [:]
        for script in current.keys {
            if let ctx = await build(for: script, template: template, clean: clean) { jobs[script] = ctx.job }
        }
        if !jobs.isEmpty { stratum?.publish(jobs: jobs, clean: clean) }
    }

    private func build(for script: Script, template: BlockTemplate, clean: Bool) async -> JobContext? {
        nextJob += 1
        let id = String(nextJob, radix: 16)
        let builder = self.builder
        let now = backend.now()
        do {
            let ctx = try await backend.withChain { chain in
                try builder.build(template: template, chain: &chain, payoutScript: script, now: now, jobID: id, clean: clean)
            }
            remember(ctx)
            return ctx
        } catch {
            logger.error("cannot build a job", metadata: ["payout_script": "\(script.hex)", "error": "\(error)"])
            return nil
        }
    }

    private func remember(_ ctx: JobContext) {
        latestSplit = ctx.split
        current[ctx.job.payoutScript] = ctx
        contexts[ctx.job.id] = ctx
        contextOrder.append(ctx.job.id)
        if contextOrder.count > Self.retainedJobs {
            let drop = contextOrder.count - Self.retainedJobs
            for id in contextOrder.prefix(drop) { contexts[id] = nil }
            contextOrder.removeFirst(drop)
        }
    }

    // MARK: StratumWorkSource

    public func job(for payoutScript: Script) async -> MiningJob? {
        if let ctx = current[payoutScript] { return ctx.job }
        guard let template, backend.isSynced else { return nil }
        return await build(for: payoutScript, template: template, clean: true)?.job
    }

    // MARK: StratumSubmissionSink

    /// The context of a submission's job (the server may alias job ids as `id.n`).
    private func context(of submission: StratumSubmission) -> JobContext? {
        let id = submission.job.id
        if let ctx = contexts[id] { return ctx }
        if let dot = id.firstIndex(of: ".") { return contexts[String(id[..<dot])] }
        return nil
    }

    public func submitShare(_ submission: StratumSubmission) async {
        guard let ctx = context(of: submission) else {
            logger.warning("share for an unknown job", metadata: ["job": "\(submission.job.id)"])
            return
        }
        do {
            let share = try JobBuilder.share(from: ctx, header: submission.header, extranonce1: submission.extranonce1,
                                             extranonce2: submission.extranonce2, key: key)
            let outcome = await backend.publishShare(share)
            if outcome.accepted {
                acceptedShares += 1
                logger.info("share accepted", metadata: [
                    "share": "\(share.hash)", "height": "\(share.header.height)", "miner": "\(submission.worker)",
                ])
            } else {
                rejectedShares += 1
                logger.notice("share not accepted", metadata: ["share": "\(share.hash)", "why": "\(outcome.detail)"])
            }
        } catch {
            logger.error("cannot build a share from a submission", metadata: ["error": "\(error)"])
        }
    }

    public func submitBlock(_ submission: StratumSubmission) async {
        guard let ctx = context(of: submission) else {
            logger.error("block for an unknown job", metadata: ["job": "\(submission.job.id)", "hash": "\(submission.hash)"])
            return
        }
        do {
            let block = try JobBuilder.block(from: ctx, header: submission.header, extranonce1: submission.extranonce1,
                                             extranonce2: submission.extranonce2)
            logger.notice("block found", metadata: ["hash": "\(block.hash)", "height": "\(ctx.template.height)"])
            let result = await backend.submitBlock(block)
            foundBlocks.append(FoundBlock(height: ctx.template.height, hash: block.hash,
                                          shareHash: ctx.shareHeader.hash, time: backend.now(),
                                          reward: ctx.coinbase.coinbaseValue, result: result))
            if foundBlocks.count > 1000 { foundBlocks.removeFirst(foundBlocks.count - 1000) }
        } catch {
            logger.error("cannot assemble a found block", metadata: ["error": "\(error)", "hash": "\(submission.hash)"])
        }
    }
}
