import BitcoinPrimitives
import Testing
@testable import BitcoinRPC
@testable import DevnetBitcoin

@Suite struct DevnetDifficultyTests {
    let anchor = UInt256(1) << 200
    let limit = DevnetParameters.regtestPowLimit

    func asert(timeDiff: Int64, heightDiff: Int64) -> UInt256 {
        DevnetDifficulty.asertTarget(anchorTarget: anchor, timeDiff: timeDiff, heightDiff: heightDiff,
                                     interval: 10, halfLife: 100, powLimit: limit)
    }

    @Test func onScheduleKeepsTheTarget() {
        #expect(asert(timeDiff: 0, heightDiff: 0) == anchor)
        #expect(asert(timeDiff: 500, heightDiff: 50) == anchor)
    }

    @Test func oneHalfLifeDoublesOrHalves() {
        #expect(asert(timeDiff: 600, heightDiff: 50) == anchor << 1)  // 100 s behind: easier
        #expect(asert(timeDiff: 400, heightDiff: 50) == anchor >> 1)  // 100 s ahead: harder
        let half = asert(timeDiff: 550, heightDiff: 50)  // half a half-life: ×√2 approximately
        #expect(half > anchor && half < anchor << 1)
    }

    @Test func clampsToLimitAndOne() {
        #expect(asert(timeDiff: 1_000_000, heightDiff: 0) == limit)
        #expect(asert(timeDiff: 0, heightDiff: 1_000_000) == .one)
    }

    @Test func chainRetargetsTowardTheInterval() throws {
        let p = DevnetParameters(targetBlockInterval: 10, halfLife: 100, initialBits: CompactTarget(rawValue: 0x2003_ffff))
        let initial = try p.initialBits.target()
        func run(step: UInt32, blocks: Int) throws -> [UInt256] {
            var chain = DevnetChain(parameters: p)
            var targets: [UInt256] = []
            for i in 1...blocks {
                #expect(TestMiner.mine(&chain, time: p.genesisTime + step * UInt32(i)) == .accepted)
                targets.append(try chain.template(now: 0).bits.target())
            }
            return targets
        }
        let onTime = try run(step: 10, blocks: 8)
        #expect(onTime.allSatisfy { $0 == initial })
        let fast = try run(step: 1, blocks: 12)  // blocks too quick: harder each time
        #expect(zip(fast, fast.dropFirst()).allSatisfy { $0.1 < $0.0 } && fast.last! < initial)
        let slow = try run(step: 40, blocks: 12)  // blocks too slow: easier each time
        #expect(zip(slow, slow.dropFirst()).allSatisfy { $0.1 > $0.0 } && slow.last! > initial)
    }
}
