import BitcoinPrimitives
import BitcoinRPC
import Ed25519
import Logging
import ServiceLifecycle
import Sharechain
import StratumProtocol
import StratumServer
import TIDES

/// What the coordinator needs from the rest of the node (consumer-owned).
public protocol MiningBackend: Sendable {
    /// Runs `body` on the node's sharechain (serialized with share acceptance).
    func withChain<T: Sendable>(_ body: @Sendable (inout Sharechain) throws -> T) async throws -> T
    /// Hands a share found by a local miner to the chain (which validates, stores and
    /// indexes it; the peer network announces what it accepts).
    func submitShare(_ share: WireShare) async -> SubmitOutcome
    /// Hands a found block to the block submitter (bitcoind and peers); returns at once.
    func handOff(_ work: FoundBlockWork)
    /// The wall clock, Unix seconds (injected for tests).
    func now() -> UInt64
    /// Whether the sharechain is synced; until then miners get no work, so nobody
    /// mines on a private fork by accident.
    var isSynced: Bool { get }
    /// bitcoind's block templates, as the template watcher publishes them.
    var templates: AsyncStream<BlockTemplate> { get }
    /// Every new best tip of the sharechain.
    var tipChanges: AsyncStream<ShareHash> { get }
    /// Yields once when the initial sync completes.
    var syncCompletions: AsyncStream<Void> { get }
    /// bitcoind moved to another block: shares held for a block it did not know may be valid now.
    func bitcoinTipChanged() async
}

/// Turns Bitcoin templates and sharechain tips into Stratum jobs, and miners'
/// submissions into shares and blocks. One job per payout script; every job is
/// rebuilt on a new Bitcoin template, a new sharechain tip, and when the node
/// becomes synced — for every payout script with a connected miner, so miners that
/// connected early get work the moment there is any.
///
/// Each job carries its `JobContext` (`MiningJob.attachment`), so a found block is
/// assembled from the submission alone, even for a job this coordinator no longer
/// remembers; blocks never wait on the coordinator's actor.
///
/// As a `Service` it follows its backend's feeds: templates, sharechain tips and the sync gate.
public actor MiningCoordinator: StratumWorkSource, StratumSubmissionSink, Service {
    private let builder: JobBuilder
    private let key: SigningKey
    private let backend: any MiningBackend
    private let logger: Logger
    private var stratum: StratumServer?
    private var wasSynced = false
    private var refusedSignet = false
    private var template: BlockTemplate?
    /// The coinbase merkle branch of `template`, computed once per template.
    private var templateBranch: [Hash256] = []
    /// The newest job of each key that has (or just had) a connected miner.
    private var current: [JobKey: JobContext] = [:]
    /// Keys asked for through `job(for:)` since the last rebuild: their connections may be
    /// registering right now, so the next rebuild keeps them even if not ready yet.
    private var requestedSinceRebuild: Set<JobKey> = []
    private var nextJob: UInt64 = 0
    /// Shares found by local miners and accepted.
    public private(set) var acceptedShares: UInt64 = 0
    /// Shares found by local miners and rejected by the chain (e.g. stale parents).
    public private(set) var rejectedShares: UInt64 = 0


    public init(builder: JobBuilder, key: SigningKey, backend: any MiningBackend, logger: Logger) {
        self.builder = builder
        self.key = key
        self.backend = backend
        self.logger = logger
    }

    /// Connects the Stratum server jobs are published to.
    public func attach(_ server: StratumServer) { stratum = server }

    /// Follows the backend's templates, tips and sync gate until graceful shutdown.
    public func run() async throws {
        let templates = backend.templates, tips = backend.tipChanges, syncs = backend.syncCompletions
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await template in templates { await self.templateUpdated(template) }
                }
                group.addTask {
                    for await _ in tips { await self.tipChanged() }
                }
                group.addTask {
                    for await _ in syncs { await self.syncCompleted() }
                }
                group.addTask {
                    try? await gracefulShutdown()  // stay up once the one-shot sync feed ends
                }
            }
        }
    }

    /// The template jobs are currently built from.
    public var currentTemplate: BlockTemplate? { template }

    /// Job keys the coordinator builds for on each rebuild (for tests and the API).
    public var activeJobKeys: Int { current.count }

    /// The split paid by the most recently built job ("payout if a block were found now").
    public private(set) var latestSplit: TidesSplit?

    // MARK: New work

    /// A new Bitcoin template: rebuild every job (clean when the previous block changed).
    public func templateUpdated(_ newTemplate: BlockTemplate) async {
        guard newTemplate.isMineableWithoutSignetSolution else {
            if !refusedSignet {
                refusedSignet = true
                logger.critical("\(SignetRefusal.message(newTemplate.signetChallenge)): no work is handed out")
            }
            return
        }
        let clean = template?.previousBlockHash != newTemplate.previousBlockHash
        template = newTemplate
        if clean { await backend.bitcoinTipChanged() }
        templateBranch = Merkle.coinbaseBranch(nonCoinbaseTxids: newTemplate.transactions.map(\.txid))
        await rebuildAll(clean: clean)
    }

    /// A new sharechain tip: every job's parent share changed.
    public func tipChanged() async {
        await rebuildAll(clean: true)
    }

    /// The sharechain is synced: hand work to every miner already connected.
    public func syncCompleted() async {
        logger.info("sharechain synced: sending work to \(stratum?.readyJobKeys().count ?? 0) payout address(es) of connected miners")
        await rebuildAll(clean: true)
    }

    private func rebuildAll(clean: Bool) async {
        guard let template else { return }
        guard backend.isSynced else {
            logger.info("sharechain not synced yet: holding back work")
            return
        }
        // A clean job after the sync gate opens: miners may hold nothing yet.
        let clean = clean || !wasSynced
        wasSynced = true
        // Every key with a ready connection, plus those asked for since the last rebuild
        // (their connections may be registering right now). Keys whose miners all left
        // are dropped: the work per rebuild follows the connected miners, not every
        // address ever authorised (issue 11 item 8).
        var keys = Set(stratum?.readyJobKeys() ?? [])
        keys.formUnion(requestedSinceRebuild)
        requestedSinceRebuild = []
        current = current.filter { keys.contains($0.key) }
        var jobs: [JobKey: MiningJob] = [:]
        for key in keys.sorted(by: JobKey.precedes) {
            if let ctx = await build(for: key, template: template, clean: clean) { jobs[key] = ctx.job }
        }
        if !jobs.isEmpty { stratum?.publish(jobs: jobs, clean: clean) }
    }

    private func build(for key: JobKey, template: BlockTemplate, clean: Bool) async -> JobContext? {
        nextJob += 1
        let id = String(nextJob, radix: 16)
        let builder = self.builder
        let now = backend.now()
        let branch = templateBranch
        do {
            let ctx = try await backend.withChain { chain in
                try builder.build(template: template, chain: &chain, payoutScript: key.payoutScript, now: now, jobID: id,
                                  clean: clean, coinbaseSizeClass: key.coinbaseSizeClass, merkleBranch: branch)
            }
            remember(ctx, for: key)
            var attached = ctx
            attached.job.attachment = ctx
            return attached
        } catch {
            logger.error("cannot build a job", metadata: ["job_key": "\(key)", "error": "\(error)"])
            return nil
        }
    }

    private func remember(_ ctx: JobContext, for key: JobKey) {
        var ctx = ctx
        ctx.job.attachment = nil  // the context is the attachment; do not nest it
        latestSplit = ctx.split
        current[key] = ctx
    }

    // MARK: StratumWorkSource

    public func job(for key: JobKey) async -> MiningJob? {
        requestedSinceRebuild.insert(key)
        if let ctx = current[key] {
            var job = ctx.job
            job.attachment = ctx
            return job
        }
        guard let template, backend.isSynced else { return nil }
        return await build(for: key, template: template, clean: true)?.job
    }

    // MARK: StratumSubmissionSink

    /// The context of a submission's job: its attachment, which every job this
    /// coordinator builds carries (so nothing is kept per job id here).
    private nonisolated static func attachedContext(of submission: StratumSubmission) -> JobContext? {
        submission.job.attachment as? JobContext
    }

    public func submitShare(_ submission: StratumSubmission) async -> SubmitOutcome? {
        guard let ctx = Self.attachedContext(of: submission) else {
            logger.warning("share for an unknown job", metadata: ["job": "\(submission.job.id)"])
            return nil
        }
        let share: WireShare
        do {
            share = try JobBuilder.share(from: ctx, header: submission.header, extranonce1: submission.extranonce1,
                                         extranonce2: submission.extranonce2, key: key)
        } catch {
            logger.error("cannot build a share from a submission", metadata: ["error": "\(error)"])
            return nil
        }
        let outcome = await backend.submitShare(share)
        if outcome.isAccepted { acceptedShares += 1 } else { rejectedShares += 1 }
        return outcome
    }

    /// A header that meets the Bitcoin target: assembled from the submission's own job
    /// context and handed to the block submitter at once, on the caller's thread (no
    /// actor hop, no queue), whether or not the job is stale for the sharechain.
    public nonisolated func submitBlock(_ submission: StratumSubmission) {
        guard let ctx = Self.attachedContext(of: submission) else {
            logger.critical("block for a job without its context: cannot assemble it",
                            metadata: ["job": "\(submission.job.id)", "hash": "\(submission.hash)"])
            return
        }
        do {
            let block = try JobBuilder.block(from: ctx, header: submission.header, extranonce1: submission.extranonce1,
                                             extranonce2: submission.extranonce2)
            let share = try JobBuilder.share(from: ctx, header: submission.header, extranonce1: submission.extranonce1,
                                             extranonce2: submission.extranonce2, key: key)
            let isShare = Work.meets(block.hash.rawHash, target: ctx.job.shareTarget)
            logger.notice("block found", metadata: [
                "hash": "\(block.hash)", "height": "\(ctx.template.height)", "miner": "\(submission.worker)",
                "share": "\(isShare ? "also a share" : "not a share")",
            ])
            let record = FoundBlockRecord(share: share, bitcoinHeight: UInt32(clamping: ctx.template.height),
                                          foundAt: backend.now(), isShare: isShare)
            backend.handOff(FoundBlockWork(block: block, origin: .local(worker: "\(submission.worker)"), record: record))
        } catch {
            logger.critical("cannot assemble a found block", metadata: ["error": "\(error)", "hash": "\(submission.hash)"])
        }
    }
}
