import BitcoinPrimitives
import Sharechain

/// Share hashes the sender has accepted and announces.
///
/// Layout: `count compact(≤ 2000) | hash [32] × count` (`ShareHashListPayload`)
public struct InvMessage: ShareHashListPayload {
    public static let command = Command.inv
    public static let maxCount = 2000
    public var hashes: [ShareHash]
    public init(hashes: [ShareHash]) {
        precondition(hashes.count <= Self.maxCount)
        self.hashes = hashes
    }
}
