import BitcoinPrimitives
import Testing
@testable import TIDES

@Suite("TIDES window weights (steps 1–3)")
struct WindowWeightsTests {
    @Test("capacity is multiplier × work(N)")
    func capacity() throws {
        let n = try CompactTarget(rawValue: 0x1d00ffff).target()
        #expect(try Tides.windowCapacity(networkTarget: n, multiplier: 8) == UInt256(8 * 4_295_032_833))
        #expect(throws: TidesError.zeroWindowMultiplier) { try Tides.windowCapacity(networkTarget: n, multiplier: 0) }
        #expect(throws: TidesError.windowCapacityOverflow) {
            try Tides.windowCapacity(networkTarget: .one, multiplier: 8)
        }
    }

    @Test("oldest share is pro-rated so the window holds exactly Z")
    func proRating() throws {
        let a = testScript(1), b = testScript(2), c = testScript(3)
        // Z = 100. Newest first: a 40, b 50, c 30 → c credited 10.
        let shares = [TidesShare(script: a, work: 40), TidesShare(script: b, work: 50), TidesShare(script: c, work: 30),
                      TidesShare(script: a, work: 99)]
        let w = try Tides.windowWeights(capacity: 100, sharesNewestFirst: shares)
        #expect(w.total == 100)
        #expect(w.entries == [.init(script: a, work: 40), .init(script: b, work: 50), .init(script: c, work: 10)])
    }

    @Test("a share that exactly fills the window ends it; the next gets nothing")
    func exactFill() throws {
        let a = testScript(1), b = testScript(2)
        let w = try Tides.windowWeights(capacity: 90, sharesNewestFirst: [
            TidesShare(script: a, work: 40), TidesShare(script: a, work: 50), TidesShare(script: b, work: 7)])
        #expect(w.entries == [.init(script: a, work: 90)])
    }

    @Test("the newest share alone can exceed Z and is capped at Z")
    func newestCapped() throws {
        let w = try Tides.windowWeights(capacity: 10, sharesNewestFirst: [TidesShare(script: testScript(1), work: 1000)])
        #expect(w.total == 10)
    }

    @Test("bootstrapping: a chain shorter than the window counts in full")
    func bootstrapping() throws {
        let shares = (0..<5).map { TidesShare(script: testScript(UInt8($0 % 2)), work: UInt256(UInt64($0 + 1))) }
        let w = try Tides.windowWeights(capacity: 1_000_000, sharesNewestFirst: shares)
        #expect(w.total == 15)
        #expect(w.entries.map(\.work) == [9, 6])  // script 0: 1+3+5, script 1: 2+4
    }

    @Test("no shares is an error")
    func empty() {
        #expect(throws: TidesError.noShares) { try Tides.windowWeights(capacity: 10, sharesNewestFirst: []) }
    }
}
