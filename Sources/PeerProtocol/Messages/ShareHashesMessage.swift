import BitcoinPrimitives
import Sharechain

/// Answer to `getlocator`
///
/// Layout: `count compact(≤ 2000) | hash [32] × count` (`ShareHashListPayload`)
public struct ShareHashesMessage: ShareHashListPayload {
    public static let command = Command.sharehashes
    public static let maxCount = 2000
    public var hashes: [ShareHash]
    public init(hashes: [ShareHash]) {
        precondition(hashes.count <= Self.maxCount)
        self.hashes = hashes
    }
}
