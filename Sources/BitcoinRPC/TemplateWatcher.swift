import BitcoinPrimitives
import Logging

/// Keeps block templates fresh: polls the tip every `pollInterval`, fetches a new
/// template when the tip changes (or every `refreshInterval`, for fee updates) and
/// publishes it on `templates`.
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
    private let logger: Logger

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
                minimumDifficultyDelay: Duration? = nil, logger: Logger) {
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
        self.logger = logger
    }

    /// Watches until the task is cancelled, then finishes `templates`.
    public func run() async {
        defer { continuation.finish() }
        let clock = ContinuousClock()
        var lastTip: BlockHash?
        var lastFetch = clock.now
        var tipSeen = clock.now
        var lastBits: CompactTarget?
        var minimumDifficultyFetched = false
        var backoff = initialBackoff
        var lastError: String?
        while !Task.isCancelled {
            do {
                let tip = try await source.bestBlockHash()
                let minimumDifficultyDue = minimumDifficultyDelay.map { !minimumDifficultyFetched && clock.now - tipSeen >= $0 } ?? false
                if tip != lastTip || clock.now - lastFetch >= refreshInterval || minimumDifficultyDue {
                    let template = try await source.blockTemplate()
                    lastFetch = clock.now
                    if template.previousBlockHash != lastTip {
                        logger.info("new Bitcoin tip \(template.previousBlockHash), template for height \(template.height)")
                        tipSeen = clock.now
                        minimumDifficultyFetched = false
                    } else if minimumDifficultyDue {
                        minimumDifficultyFetched = true
                    }
                    if let lastBits, lastBits != template.bits, template.previousBlockHash == lastTip {
                        logger.info("block target changed on the same tip: bits \(lastBits.hex) → \(template.bits.hex) (BIP94 minimum-difficulty rule)")
                    }
                    lastBits = template.bits
                    lastTip = template.previousBlockHash
                    continuation.yield(template)
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

    private func describe(_ error: any Error) -> String {
        if let rpc = error as? RPCError { return rpc.description }
        return String(describing: error)
    }
}
