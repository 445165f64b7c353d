import BitcoinPrimitives
import Sharechain
import SharechainTestSupport
import Testing

/// `ShareSummary.decodeRecord` (the replay fast path) agrees with `init(serialized:)`.
@Suite struct SummaryRecordTests {
    static func summaries() -> [ShareSummary] {
        let scripts = [Script(), payout(3), Script([0x51, 0x20] + [UInt8](repeating: 9, count: 32)),
                       Script([UInt8](repeating: 0xab, count: ShareHeader.maxPayoutScriptSize))]
        return scripts.enumerated().map { i, script in
            ShareSummary(hash: ShareHash(rawHash: SHA256d.hash([UInt8(i)])),
                         previousShare: ShareHash(rawHash: SHA256d.hash([UInt8(i), 1])),
                         height: 0x0102_0304 &* UInt32(i + 1), bits: CompactTarget(rawValue: 0x1d00_ffff),
                         timestamp: 0x1122_3344_5566_7788 &+ UInt64(i), payoutScript: script,
                         sequence: UInt64.max - UInt64(i))
        }
    }

    @Test func wellFormedRecordsDecodeIdentically() throws {
        for s in Self.summaries() {
            let bytes = s.serialized
            #expect(ShareSummary.decodeRecord(bytes) == s)
            #expect(try ShareSummary(serialized: bytes) == s)
        }
    }

    /// Every truncation, extension and length-byte change: the fast path gives the generic
    /// decoder's summary or declines (nil), never another summary.
    @Test func malformedRecordsNeverDisagree() {
        for s in Self.summaries() {
            let bytes = s.serialized
            var variants: [[UInt8]] = (0..<bytes.count).map { Array(bytes[..<$0]) }
            variants.append(bytes + [0])
            for length: UInt8 in [0, 1, 21, 22, 42, 43, 0xfc, 0xfd, 0xfe, 0xff] {
                var v = bytes
                v[80] = length
                variants.append(v)
            }
            for v in variants {
                let generic = try? ShareSummary(serialized: v)
                if let fast = ShareSummary.decodeRecord(v) {
                    #expect(fast == generic)
                } else {
                    #expect(generic == nil || v.count > 80 && v[80] >= 0xfd)
                }
            }
        }
    }
}
