import BitcoinPrimitives
import Foundation
import Sharechain
import SharechainTestSupport
import Testing

@Suite("Share difficulty: integer ASERT")
struct ShareDifficultyTests {
    struct Vector: Decodable {
        var anchor_time: UInt64, anchor_target: String, parent_height: UInt32, parent_time: UInt64
        var interval: UInt64, half_life: UInt64, max_target: String, target: String
    }

    @Test("matches the independent Python reference on 300 vectors")
    func vectors() throws {
        let url = try #require(Bundle.module.url(forResource: "asert_vectors", withExtension: "json", subdirectory: "Vectors"))
        let vectors = try JSONDecoder().decode([Vector].self, from: Data(contentsOf: url))
        #expect(vectors.count == 300)
        for v in vectors {
            let got = ShareDifficulty.scheduledTarget(
                anchor: .init(timestamp: v.anchor_time, target: UInt256(hex: v.anchor_target)!),
                parentHeight: v.parent_height, parentTimestamp: v.parent_time,
                interval: v.interval, halfLife: v.half_life, maximumTarget: UInt256(hex: v.max_target)!)
            #expect(got == UInt256(hex: v.target)!, "\(v)")
        }
    }

    @Test("on schedule keeps the anchor; one half-life late doubles the target; early halves it")
    func halfLives() {
        let anchor = ShareDifficulty.Anchor(timestamp: 1_000_000, target: UInt256(1) << 200)
        func at(_ drift: Int64) -> UInt256 {
            ShareDifficulty.scheduledTarget(anchor: anchor, parentHeight: 100,
                                            parentTimestamp: UInt64(1_000_000 + 100 * 30 + drift),
                                            interval: 30, halfLife: 3600, maximumTarget: .max)
        }
        #expect(at(0) == anchor.target)
        #expect(at(3600) == anchor.target << 1)
        #expect(at(-3600) == anchor.target >> 1)
        #expect(at(1800) > anchor.target && at(1800) < anchor.target << 1)
    }

    @Test("the result is clamped to the maximum target and never zero")
    func clamps() {
        let anchor = ShareDifficulty.Anchor(timestamp: 0, target: UInt256(1) << 200)
        let easy = ShareDifficulty.scheduledTarget(anchor: anchor, parentHeight: 0, parentTimestamp: 1 << 39,
                                                   interval: 30, halfLife: 60, maximumTarget: UInt256(1) << 220)
        #expect(easy == UInt256(1) << 220)
        let hard = ShareDifficulty.scheduledTarget(anchor: anchor, parentHeight: 1_000_000, parentTimestamp: 0,
                                                   interval: 30, halfLife: 60, maximumTarget: .max)
        #expect(hard == .one)
    }

    @Test("the required target is the schedule alone: never eased to the Bitcoin target")
    func noBitcoinCap() throws {
        var chain = Sharechain(parameters: testParameters())
        var factory = ShareFactory()
        // Regtest's Bitcoin target, the proof-of-work limit: about half of all hashes.
        factory.bitcoinBits = CompactTarget(rawValue: 0x207f_ffff)
        let g = factory.make(on: &chain, parent: nil, timestamp: 1_700_000_000, script: payout(1))
        try accept(g, into: &chain)
        // 100 shares one second apart with a 10 s interval: the schedule hardens below the
        // Bitcoin target (the old cap would have held it there) and the shares stay valid.
        var parent = g.hash
        for i in 1...100 {
            let s = factory.make(on: &chain, parent: parent, timestamp: 1_700_000_000 + UInt64(i), script: payout(1),
                                 bits: CompactTarget(target: chain.requiredTarget(parent: parent)))
            try accept(s, into: &chain)
            parent = s.hash
        }
        #expect(chain.requiredTarget(parent: parent) < (try factory.bitcoinBits.target()))
    }
}
