import JSON
import BitcoinPrimitives
@testable import StratumClient

/// Mainnet block 100000 cut into a Stratum job: its real coinbase split around an
/// extranonce1 (the bits push) and a 3-byte extranonce2, and the coinbase's merkle
/// branch over the block's other three transactions.
enum Block100000 {
    static let hash = "000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506"
    static let merkleRoot = "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766"
    static let previousDisplay = "000000000002d01c1fccc21636b607dfd930d31d01c3a62104612a1719011250"
    static let previousStratum = "1901125004612a1701c3a621d930d31d36b607df1fccc2160002d01c00000000"
    static let coinbaseTxid = "8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87"
    static let coinb1 = "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff0804"
    static let extranonce1 = "4c86041b"
    static let extranonce2 = "020602"
    static let coinb2 = "ffffffff0100f2052a010000004341041b0e8c2567c12536aa13357b79a073dc4444acb83c4ec7a0e2f99dd7457516c5817242da796924ca4e99947d087fedf9ce467cb9f7c6287078f801df276fdf84ac00000000"
    static let branch = ["c40297f730dd7b5a99567eb8d27b78758f607507c52292d02d4031895b52f2ff",
                         "49aef42d78e3e9999c9e6ec9e1dddd6cb880bf3b076a03be1318ca789089308e"]
    static let nonce: UInt32 = 274_148_111

    /// `mining.notify` params for the block (version 1, bits 1b04864c, time 1293623863).
    static func notifyParams(jobID: String = "b100000", clean: Bool = true) -> [JSONValue] {
        [.string(jobID), .string(previousStratum), .string(coinb1), .string(coinb2),
         .array(branch.map { .string($0) }), .string("00000001"), .string("1b04864c"), .string("4d1b2237"), .bool(clean)]
    }

    /// The notify line.
    static func notifyLine(jobID: String = "b100000", clean: Bool = true) -> String {
        JSONValue.object([JSONMember("id", .null), JSONMember("method", .string("mining.notify")),
                          JSONMember("params", .array(notifyParams(jobID: jobID, clean: clean)))]).jsonText
    }
}
