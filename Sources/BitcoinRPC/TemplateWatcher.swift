import BitcoinPrimitives
import Logging
import NIOConcurrencyHelpers

/// Keeps block templates fresh: polls the tip every `pollInterval`, fetches a new
/// template when the tip changes (or every `refreshInterval`, for fee updates) and
/// publishes it on `templates`.
///
/// With a `longPoll` source it also keeps one BIP22 long poll open
/// (`getblocktemplate` with the last `longpollid`), which bitcoind answers the moment
/// it accepts a new block: new work then reaches miners without the poll's delay
/// (up to `pollInterval`). Polling stays on as the fallback (a server that does not
/// hold long polls, a dropped connection); a template older (lower) than one already
/// published is dropped, so the two paths cannot make miners step back.
///
/// Errors never end `run()`: it logs them (an unchanged error again only at debug
/// level), backs off from `initialBackoff` doubling to `maxBackoff`, waits out warm-up
/// (-28) and initial block download (-10), and logs when bitcoind is usable again.
public final class TemplateWatcher: Sendable {
    /// Every template fetched, newest last; a slow consumer only sees the newest.
    /// Finishes when `run()` returns. Meant for one consumer.
    public let templates: AsyncStream<BlockTemplate>
    private let continuation: AsyncStream<BlockTemplate>.Continuation
    private let source: any BlockTemplateSource & BitcoinTipSource
    private let pollInterval: Duration
    private let refreshInterval: Duration
    private let initialBackoff: Duration
    private let maxBackoff: Duration
    private let minimumDifficultyDelay: Duration?
    private let longPoll: (any LongPollTemplateSource)?
    private let logger: Logger
    private let state = NIOLockedValueBox(Published())

    /// What was last yielded on `templates` (shared by the poll and the long poll).
    struct Published {
        var tip: BlockHash?
        var height: Int?
        var bits: CompactTarget?
        /// Lower templates dropped in a row (see `offer`).
        var dropped = 0

        /// Whether to yield `template`: not when it is lower than the last one
        /// (a slow fetch overtaken by a newer one), unless that keeps happening
        /// (`maximumDrops` in a row: the best chain really got shorter).
        mutating func accept(_ template: BlockTemplate, maximumDrops: Int = 10) -> Bool {
            if let height, template.height < height, dropped < maximumDrops {
                dropped += 1
                return false
            }
            dropped = 0
            return true
        }
    }

    /// Creates a watcher; nothing happens until `run()`.
    ///
    /// - Parameter minimumDifficultyDelay: on testnet4, BIP94 lets a block whose time is
    ///   more than 20 minutes after its parent's use the minimum difficulty, so the
    ///   template's `bits` change with time: the watcher fetches a fresh template this
    ///   long (1,201 s) after it saw the tip change, so miners switch to the easier bits
    ///   at once rather than at the next periodic refresh.
    public init(source: any BlockTemplateSource & BitcoinTipSource,
                pollInterval: Duration = .milliseconds(100), refreshInterval: Duration = .seconds(30),
                initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(5),
                minimumDifficultyDelay: Duration? = nil, longPoll: (any LongPollTemplateSource)? = nil,
                logger: Logger) {
        let (stream, continuation) = AsyncStream.makeStream(of: BlockTemplate.self,
                                                            bufferingPolicy: .bufferingNewest(1))
        self.templates = stream
        self.continuation = continuation
        self.source = source
        self.pollInterval = pollInterval
        self.refreshInterval = refreshInterval
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.minimumDifficultyDelay = minimumDifficultyDelay
        self.longPoll = longPoll
        self.logger = logger
    }

    /// Watches until the task is cancelled, then finishes `templates`.
    public func run() async {
        defer { continuation.finish() }
        await withTaskGroup(of: Void.self) { tasks in
            if let longPoll {
                tasks.addTask { await self.longPolls(longPoll) }
            }
            await poll()
            tasks.cancelAll()
        }
    }

    /// Yields `template` unless it is older than the last one; logs tip and bits
    /// changes. Returns whether it was yielded.
    @discardableResult
    private func offer(_ template: BlockTemplate) -> Bool {
        let (accepted, previous, previousBits) = state.withLockedValue { s -> (Bool, BlockHash?, CompactTarget?) in
            let before = (s.tip, s.bits)
            guard s.accept(template) else { return (false, before.0, before.1) }
            s.tip = template.previousBlockHash
            s.height = template.height
            s.bits = template.bits
            return (true, before.0, before.1)
        }
        guard accepted else {
            logger.debug("dropped a template for height \(template.height): a newer one is out")
            return false
        }
        if template.previousBlockHash != previous {
            logger.info("new Bitcoin tip \(template.previousBlockHash), template for height \(template.height)")
        } else if let previousBits, previousBits != template.bits {
            logger.info("block target changed on the same tip: bits \(previousBits.hex) → \(template.bits.hex) (BIP94 minimum-difficulty rule)")
        }
        continuation.yield(template)
        return true
    }

    /// The tip of the last yielded template.
    private var publishedTip: BlockHash? { state.withLockedValue { $0.tip } }

    /// Polls the tip every `pollInterval` until cancelled.
    private func poll() async {
        let clock = ContinuousClock()
        var lastTip: BlockHash?
        var lastFetch = clock.now
        var tipSeen = clock.now
        var minimumDifficultyFetched = false
        var backoff = initialBackoff
        var lastError: String?
        while !Task.isCancelled {
            do {
                let tip = try await source.bestBlockHash()
                let published = publishedTip
                if published != lastTip {  // the long poll brought a new tip
                    lastTip = published
                    lastFetch = clock.now
                    tipSeen = clock.now
                    minimumDifficultyFetched = false
                }
                let minimumDifficultyDue = minimumDifficultyDelay.map { !minimumDifficultyFetched && clock.now - tipSeen >= $0 } ?? false
                if tip != lastTip || clock.now - lastFetch >= refreshInterval || minimumDifficultyDue {
                    let template = try await source.blockTemplate()
                    lastFetch = clock.now
                    if template.previousBlockHash != lastTip {
                        tipSeen = clock.now
                        minimumDifficultyFetched = false
                    } else if minimumDifficultyDue {
                        minimumDifficultyFetched = true
                    }
                    if offer(template) { lastTip = template.previousBlockHash }
                }
                if lastError != nil {
                    logger.notice("bitcoind is usable again")
                    lastError = nil
                }
                backoff = initialBackoff
                try await Task.sleep(for: pollInterval)
            } catch is CancellationError {
                break
            } catch {
                let message = describe(error)
                if message != lastError {
                    if let rpc = error as? RPCError, rpc.isTransient {
                        logger.notice("waiting for bitcoind: \(message)")
                    } else {
                        logger.error("block template update failed: \(message); retrying")
                    }
                    lastError = message
                } else {
                    logger.debug("still failing: \(message)")
                }
                do { try await Task.sleep(for: backoff) } catch { break }
                backoff = min(backoff * 2, maxBackoff)
            }
        }
    }

    /// Keeps one long poll open until cancelled; every answer that changes the
    /// template is offered at once. A server that answers at once with the same
    /// `longpollid` (it does not hold long polls) is asked again only every second;
    /// errors back off like the poll (which reports them).
    private func longPolls(_ longPoll: any LongPollTemplateSource) async {
        var id: String?
        var backoff = initialBackoff
        var announced = false
        while !Task.isCancelled {
            do {
                let template = try await longPoll.blockTemplate(longPollID: id)
                guard let next = template.longPollID else {
                    logger.notice("bitcoind does not offer long polling; polling every \(pollInterval) only")
                    return
                }
                if !announced {
                    logger.info("long polling bitcoind for new blocks (polling every \(pollInterval) as fallback)")
                    announced = true
                }
                let unchanged = next == id
                if id != nil, !unchanged { offer(template) }
                id = next
                backoff = initialBackoff
                if unchanged { try await Task.sleep(for: .seconds(1)) }
            } catch is CancellationError {
                break
            } catch {
                logger.debug("long poll failed: \(describe(error)); retrying")
                id = nil
                do { try await Task.sleep(for: backoff) } catch { break }
                backoff = min(backoff * 2, maxBackoff)
            }
        }
    }

    private func describe(_ error: any Error) -> String {
        if let rpc = error as? RPCError { return rpc.description }
        return String(describing: error)
    }
}
