import BitcoinPrimitives
import Sharechain
import SharechainTestSupport
import Testing

/// Issue "Consensus and network hardening", item 2: a fork costs bounded work
/// (PROTOCOL.md §9, "Fork depth"). Shares on old parents get easy ASERT targets, so
/// deep forks are cheap to mine; without a bound each one rolled the TIDES window back
/// to the fork point and re-applied it.
@Suite("Sharechain: fork depth is bounded")
struct ForkDepthTests {
    static let n: UInt32 = 20

    func chain(length: Int) throws -> (Sharechain, [WireShare]) {
        var parameters = testParameters()
        parameters.maximumForkDepth = Self.n
        var chain = Sharechain(parameters: parameters)
        let factory = ShareFactory()
        var shares: [WireShare] = []
        for i in 0..<length {
            let share = factory.next(on: &chain, script: payout(UInt8(1 + i % 5)))
            try accept(share, into: &chain)
            shares.append(share)
        }
        return (chain, shares)
    }

    func fork(on chain: inout Sharechain, parent: WireShare, script: UInt8 = 99) -> WireShare {
        ShareFactory().make(on: &chain, parent: parent.hash, timestamp: parent.header.timestamp + 7, script: payout(script))
    }

    @Test("a share forking exactly N below the best tip is accepted; one deeper is dropped without penalty")
    func deepForkRefused() throws {
        var (chain, shares) = try chain(length: 50)  // best tip at height 49
        let atLimit = fork(on: &chain, parent: shares[49 - Int(Self.n) - 1 + 1])   // fork point at height 29: depth 20
        #expect(throws: Never.self) { try accept(atLimit, into: &chain) }
        let deeper = fork(on: &chain, parent: shares[10])  // depth 39
        #expect(throws: ShareRuleError.forkTooDeep(depth: 21, maximum: Self.n)) { try accept(deeper, into: &chain) }
        #expect(ShareRuleError.forkTooDeep(depth: 21, maximum: Self.n).penalty == .none)
        #expect(chain.best?.height == 49, "the best chain is untouched")
    }

    @Test("a new first share is refused once the chain is longer than N")
    func newGenesisRefused() throws {
        var (chain, _) = try chain(length: 30)
        let genesis = ShareFactory().make(on: &chain, parent: nil, timestamp: 1_800_000_000, script: payout(42))
        #expect(throws: ShareRuleError.forkTooDeep(depth: 30, maximum: Self.n)) { try accept(genesis, into: &chain) }
        var (young, _) = try self.chain(length: 5)
        let second = ShareFactory().make(on: &young, parent: nil, timestamp: 1_800_000_000, script: payout(42))
        #expect(throws: Never.self) { try accept(second, into: &young) }  // a young network may still restart
    }

    @Test("a branch forking within N below the tip reorganises the chain as usual")
    func shallowForkReorgs() throws {
        var (chain, shares) = try chain(length: 30)
        var tip = shares[25]  // 4 shares below the best tip
        for i in 0..<40 {
            let share = ShareFactory().make(on: &chain, parent: tip.hash, timestamp: tip.header.timestamp + 10,
                                            script: payout(UInt8(100 + i % 3)))
            try accept(share, into: &chain)
            tip = share
        }
        // Equal work per share: the branch overtook the old best chain and kept growing.
        #expect(chain.best?.hash == tip.hash && chain.best?.height == 65)
    }

    @Test("the cost of a fork share is bounded: a node never walks more than 2N shares for one")
    func boundedWork() throws {
        // A chain 50× longer than N: refusing a fork from its start costs a bounded walk.
        var (chain, shares) = try chain(length: Int(Self.n) * 50)
        let clock = ContinuousClock()
        let deep = fork(on: &chain, parent: shares[1])
        var refused = 0
        let elapsed = clock.measure {
            for _ in 0..<1_000 {
                if case .failure(.forkTooDeep) = Result(catching: { () throws(ShareRuleError) in _ = try chain.validate(deep, now: 2_000_000_000) }) {
                    refused += 1
                }
            }
        }
        #expect(refused == 1_000)
        // Display only: the attack is refused before the signature and the split.
        print("1,000 deep-fork shares refused in \(elapsed)")
    }
}
