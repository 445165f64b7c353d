/// Who handed a share to the chain: a connection inside one `PeerManager` (not
/// persistent), or the node itself. The chain keys its orphan quotas by it.
public struct PeerID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// The node itself: shares its miners found, and held shares it retried.
    public static let local = PeerID(rawValue: 0)
    public var description: String { rawValue == 0 ? "local" : "peer#\(rawValue)" }
}
