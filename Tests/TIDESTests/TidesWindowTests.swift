import BitcoinPrimitives
import Testing
@testable import TIDES

@Suite("Incremental TIDES window")
struct TidesWindowTests {
    /// Brute-force weights for the retained chain (oldest first) and capacity.
    func reference(_ chain: [TidesShare], capacity: UInt256) throws -> WindowWeights {
        try Tides.windowWeights(capacity: capacity, sharesNewestFirst: chain.reversed())
    }

    func randomShare(_ rng: inout SplitMix64, payees: UInt64) -> TidesShare {
        TidesShare(script: testScript(UInt8(rng.below(payees))), work: UInt256(rng.below(1000) + 1))
    }

    @Test("append, rollback and capacity changes always equal a fresh walk", arguments: 0..<40)
    func randomOperations(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919)
        var capacity = UInt256(rng.below(5000) + 1)
        var window = TidesWindow(capacity: capacity)
        var chain: [TidesShare] = []
        for _ in 0..<600 {
            switch rng.below(10) {
            case 0..<6:
                let s = randomShare(&rng, payees: 12)
                chain.append(s)
                window.append(s)
            case 6..<9:
                // A reorg of random depth: roll back, then build a new branch.
                let depth = Int(rng.below(30))
                for _ in 0..<min(depth, chain.count) {
                    chain.removeLast()
                    let rolledBack = window.rollbackTip()
                    #expect(rolledBack)
                }
                for _ in 0..<Int(rng.below(UInt64(depth) + 2)) {
                    let s = randomShare(&rng, payees: 12)
                    chain.append(s)
                    window.append(s)
                }
            default:
                capacity = UInt256(rng.below(20_000) + 1)
                window.setCapacity(capacity)
            }
            if chain.isEmpty {
                #expect(window.weights().entries.isEmpty)
            } else {
                let expected = try reference(chain, capacity: capacity)
                #expect(window.weights() == expected)
                #expect(window.creditedWork == expected.total)
            }
        }
    }

    @Test("a tentative tip leaves the window unchanged")
    func tentativeTip() throws {
        var window = TidesWindow(capacity: 100)
        for i in 0..<50 { window.append(TidesShare(script: testScript(UInt8(i % 5)), work: 7)) }
        let before = window.weights()
        let next = TidesShare(script: testScript(9), work: 30)
        let tentative = window.weights(withTentativeTip: next)
        #expect(window.weights() == before)
        var chain = (0..<50).map { TidesShare(script: testScript(UInt8($0 % 5)), work: 7) }
        chain.append(next)
        #expect(tentative == (try reference(chain, capacity: 100)))
    }

    @Test("pruning history outside the window keeps the window intact")
    func pruning() throws {
        var window = TidesWindow(capacity: 50)
        var chain: [TidesShare] = []
        for i in 0..<5000 {
            let s = TidesShare(script: testScript(UInt8(i % 7)), work: UInt256(UInt64(i % 13 + 1)))
            chain.append(s)
            window.append(s)
            if i % 100 == 0 { window.pruneHistory(keepingOutsideWindow: 10) }
        }
        #expect(window.retainedCount < 200)
        #expect(window.weights() == (try reference(chain, capacity: 50)))
        // Rolling back 10 shares after pruning still matches the walk (history was kept).
        for _ in 0..<5 { window.rollbackTip(); chain.removeLast() }
        #expect(window.weights() == (try reference(chain, capacity: 50)))
    }

    @Test("the split from the window equals the split from the walk")
    func splitAgrees() throws {
        var rng = SplitMix64(seed: 42)
        let n = try CompactTarget(rawValue: 0x1f00ffff).target()
        let capacity = try Tides.windowCapacity(networkTarget: n, multiplier: 8)
        var window = TidesWindow(capacity: capacity)
        var chain: [TidesShare] = []
        for _ in 0..<3000 {
            let s = TidesShare(script: testScript(UInt8(rng.below(40))), work: Work.of(target: n) >> Int(rng.below(8)))
            chain.append(s)
            window.append(s)
        }
        let seed = SHA256d.hash([1, 2, 3])
        let fromWalk = try Tides.split(reward: amount(312_500_000), networkTarget: n,
                                       sharesNewestFirst: chain.reversed(), parameters: params(), lotterySeed: seed)
        let fromWindow = Tides.split(reward: amount(312_500_000), weights: window.weights(),
                                     parameters: params(), lotterySeed: seed)
        #expect(fromWalk == fromWindow)
        #expect(fromWalk.outputs.map(\.amount.satoshis).reduce(0, +) == 312_500_000)
    }
}
