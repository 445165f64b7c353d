import BitcoinPrimitives
import Sharechain

/// Asks for full shares; always answered with one `shares` message holding the ones the peer has (possibly none), in the requested order.
///
/// Layout: `count compact(≤ 500) | hash [32] × count` (`ShareHashListPayload`)
public struct GetSharesMessage: ShareHashListPayload {
    public static let command = Command.getshares
    public static let maxCount = 500
    public var hashes: [ShareHash]
    public init(hashes: [ShareHash]) {
        precondition(hashes.count <= Self.maxCount)
        self.hashes = hashes
    }
}
