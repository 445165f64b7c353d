import BitcoinPrimitives
import NIOConcurrencyHelpers
import Testing
import TidepoolTestSupport
@testable import BitcoinRPC

@Suite(.timeLimit(.minutes(1))) struct TemplateWatcherTests {
    /// The watcher polls every 100 ms, so on an idle machine a new block is seen in
    /// 100–200 ms (Docs/STRATUM.md: within 250 ms). Wall-clock bounds are unreliable on a
    /// loaded CI machine, so this asserts detection within a loose bound only.
    @Test func noticesANewBlockAtTheNextPoll() async throws {
        let chain = SharedDevnetChain()
        let running = try await RunningServer.start(chain: chain)
        defer { running.task.cancel() }
        let watcher = TemplateWatcher(source: makeClient(port: running.port), pollInterval: .milliseconds(100),
                                      logger: quietLogger)
        let watching = Task { await watcher.run() }
        defer { watching.cancel() }
        let first = try await withTimeout(20) {
            var it = watcher.templates.makeAsyncIterator()
            return await it.next()
        }
        let firstTemplate = try #require(first)
        #expect(firstTemplate.height == 1)

        // Another miner finds a block directly on the chain.
        let block = TestMiner.block(for: chain.template(now: firstTemplate.curtime))
        #expect(chain.submit(block) == .accepted)
        let callsBefore = running.server.callCount
        let next = try await withTimeout(20) { () async -> BlockTemplate? in
            var it = watcher.templates.makeAsyncIterator()
            while let t = await it.next() { if t.previousBlockHash == block.hash { return t } }
            return nil
        }
        let calls = running.server.callCount - callsBefore
        #expect(next?.height == 2)
        // Seen at the next poll, counted in calls rather than seconds so that a loaded
        // machine cannot make it pass or fail: a poll in flight, the poll that sees the
        // tip, its getblocktemplate, and the next poll that may have started since.
        // A watcher that waited for its 30 s refresh would make ~300 calls.
        #expect(calls <= 4, "took \(calls) calls")
        watching.cancel()
        try await running.stop()
    }

    @Test func waitsOutWarmupAndRecovers() async throws {
        let chain = SharedDevnetChain()
        let running = try await RunningServer.start(chain: chain)
        defer { running.task.cancel() }
        running.server.setUnavailable((code: -28, message: "Loading block index…"))
        let watcher = TemplateWatcher(source: makeClient(port: running.port), pollInterval: .milliseconds(20),
                                      initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(80),
                                      logger: quietLogger)
        let watching = Task { await watcher.run() }
        defer { watching.cancel() }
        // The watcher met the warm-up error and kept retrying (with backoff) through it.
        try await withTimeout(20) {
            while running.server.refusedCalls < 3 { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(running.server.refusedCalls >= 3)
        running.server.setUnavailable(nil)
        let first = try await withTimeout(20) {
            var it = watcher.templates.makeAsyncIterator()
            return await it.next()
        }
        #expect(first?.previousBlockHash == chain.snapshot.genesisHash)
        watching.cancel()
        try await running.stop()
    }

    @Test func refreshesPeriodicallyAndFinishesOnCancel() async throws {
        let running = try await RunningServer.start(chain: SharedDevnetChain())
        defer { running.task.cancel() }
        let watcher = TemplateWatcher(source: makeClient(port: running.port), pollInterval: .milliseconds(10),
                                      refreshInterval: .milliseconds(50), logger: quietLogger)
        let watching = Task { await watcher.run() }
        let count = try await withTimeout(20) {
            var n = 0
            for await _ in watcher.templates {
                n += 1
                if n == 3 { watching.cancel() }
            }
            return n
        }
        #expect(count >= 3)
        try await running.stop()
    }

    /// BIP94 (testnet4): 20 minutes after a block the next one may use the minimum
    /// difficulty, so the template's bits change on the same tip. With a
    /// `minimumDifficultyDelay` the watcher fetches a fresh template once that long after
    /// it saw the tip change, without waiting for the periodic refresh.
    @Test func refetchesWhenMinimumDifficultyBecomesAvailable() async throws {
        let source = CountingSource()
        let watcher = TemplateWatcher(source: source, pollInterval: .milliseconds(10), refreshInterval: .seconds(3600),
                                      minimumDifficultyDelay: .seconds(3), logger: quietLogger)
        let watching = Task { await watcher.run() }
        defer { watching.cancel() }
        for _ in 0..<500 where source.fetches < 1 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(source.fetches == 1, "one template for the new tip")
        for _ in 0..<1000 where source.fetches < 2 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(source.fetches == 2, "a second template once the delay passed")
        try await Task.sleep(for: .seconds(1))
        #expect(source.fetches == 2, "only once per tip")
        watching.cancel()
    }
}

extension TemplateWatcherTests {
    /// With a long poll, a new block reaches `templates` when bitcoind answers the long
    /// poll, without waiting for the next poll (here an hour away).
    @Test func longPollBringsANewBlockWithoutPolling() async throws {
        let source = LongPollSource()
        let watcher = TemplateWatcher(source: source, pollInterval: .seconds(3600), longPoll: source,
                                      logger: quietLogger)
        let watching = Task { await watcher.run() }
        defer { watching.cancel() }
        let first = try await withTimeout(20) {
            var it = watcher.templates.makeAsyncIterator()
            return await it.next()
        }
        #expect(first?.height == 2)
        for _ in 0..<1000 where source.waiting == nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(source.waiting == "lp2", "the long poll carries the last template's longpollid")
        source.advance()
        let next = try await withTimeout(20) {
            var it = watcher.templates.makeAsyncIterator()
            return await it.next()
        }
        #expect(next?.height == 3)
        #expect(next?.longPollID == "lp3")
        #expect(source.tipPolls == 1, "one poll at start, none since")
        watching.cancel()
    }

    /// A server that answers long polls at once with the same id (it does not hold
    /// them, like the devnet) is asked again only about once a second, not in a loop.
    @Test func aServerThatDoesNotHoldLongPollsIsNotSpun() async throws {
        let source = CountingSource()
        let longPoll = ImmediateLongPoll()
        let watcher = TemplateWatcher(source: source, pollInterval: .milliseconds(10), longPoll: longPoll,
                                      logger: quietLogger)
        let watching = Task { await watcher.run() }
        defer { watching.cancel() }
        for _ in 0..<2000 where longPoll.calls < 1 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(longPoll.calls >= 1)
        let start = longPoll.calls
        try await Task.sleep(for: .milliseconds(1500))
        let calls = longPoll.calls - start
        // At most one call at once after the first answer, then one a second (a loaded
        // machine only makes fewer).
        #expect(calls <= 4, "\(calls) calls in 1.5 s")
    }

    /// A template lower than the one published (a slow poll overtaken by the long
    /// poll) is dropped, unless lower ones keep coming (the best chain got shorter).
    @Test func aLowerTemplateIsDroppedUnlessItPersists() {
        var state = TemplateWatcher.Published()
        let fresh = state.accept(LongPollSource.template(height: 5))
        #expect(fresh)
        state.height = 5
        for _ in 0..<3 {
            let lower = state.accept(LongPollSource.template(height: 4), maximumDrops: 3)
            #expect(!lower)
        }
        let persisting = state.accept(LongPollSource.template(height: 4), maximumDrops: 3)
        #expect(persisting)
        let higher = state.accept(LongPollSource.template(height: 6))
        #expect(higher)
    }
}

/// A bitcoind stand-in that holds long polls until `advance()` finds a block.
final class LongPollSource: BlockTemplateSource, BitcoinTipSource, LongPollTemplateSource {
    private struct State {
        var height = 2
        var polls = 0
        var waiting: String?
        var resume: CheckedContinuation<Void, Never>?
    }
    private let state = NIOLockedValueBox(State())
    var waiting: String? { state.withLockedValue { $0.waiting } }
    var tipPolls: Int { state.withLockedValue { $0.polls } }

    static func template(height: Int) -> BlockTemplate {
        BlockTemplate(version: 0x2000_0000, previousBlockHash: BlockHash(rawHash: SHA256d.hash([UInt8(height)])),
                      transactions: [], coinbaseValue: Amount(satoshis: Int64(5_000_000_000))!,
                      bits: CompactTarget(rawValue: 0x207f_ffff), target: try! CompactTarget(rawValue: 0x207f_ffff).target(),
                      height: height, curtime: 1, mintime: 0, defaultWitnessCommitment: nil, rules: [],
                      longPollID: "lp\(height)")
    }

    func bestBlockHash() async throws -> BlockHash {
        state.withLockedValue { s in
            s.polls += 1
            return BlockHash(rawHash: SHA256d.hash([UInt8(s.height)]))
        }
    }
    func blockTemplate() async throws -> BlockTemplate { Self.template(height: state.withLockedValue { $0.height }) }

    func blockTemplate(longPollID: String?) async throws -> BlockTemplate {
        let height = state.withLockedValue { $0.height }
        guard let longPollID, longPollID == "lp\(height)" else { return Self.template(height: height) }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                state.withLockedValue { s in
                    s.waiting = longPollID
                    s.resume = continuation
                }
            }
        } onCancel: {
            advance(newBlock: false)
        }
        try Task.checkCancellation()
        return Self.template(height: state.withLockedValue { $0.height })
    }

    /// A new block: the held long poll returns.
    func advance(newBlock: Bool = true) {
        let resume = state.withLockedValue { s -> CheckedContinuation<Void, Never>? in
            if newBlock { s.height += 1 }
            defer { s.resume = nil }
            return s.resume
        }
        resume?.resume()
    }
}

/// A long-poll source that never holds: the same template and id at once.
final class ImmediateLongPoll: LongPollTemplateSource {
    private let count = NIOLockedValueBox(0)
    var calls: Int { count.withLockedValue { $0 } }
    func blockTemplate(longPollID: String?) async throws -> BlockTemplate {
        count.withLockedValue { $0 += 1 }
        return LongPollSource.template(height: 2)
    }
}

/// A bitcoind stand-in with a fixed tip that counts template fetches.
final class CountingSource: BlockTemplateSource, BitcoinTipSource {
    private let count = NIOLockedValueBox(0)
    var fetches: Int { count.withLockedValue { $0 } }
    func bestBlockHash() async throws -> BlockHash { BlockHash(rawHash: SHA256d.hash([1])) }
    func blockTemplate() async throws -> BlockTemplate {
        count.withLockedValue { $0 += 1 }
        return BlockTemplate(version: 0x2000_0000, previousBlockHash: BlockHash(rawHash: SHA256d.hash([1])), transactions: [],
                             coinbaseValue: Amount(satoshis: Int64(5_000_000_000))!, bits: CompactTarget(rawValue: 0x1d00_ffff),
                             target: try CompactTarget(rawValue: 0x1d00_ffff).target(), height: 2, curtime: 1, mintime: 0,
                             defaultWitnessCommitment: nil, rules: [], longPollID: nil)
    }
}
