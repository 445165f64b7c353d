import BitcoinPrimitives

/// The identity of a share: SHA-256d of its serialized `ShareHeader`
/// (the signature is not part of it). Never interchangeable with a `BlockHash`.
public struct ShareHash: TypedHash {
    public let rawHash: Hash256
    public init(rawHash: Hash256) { self.rawHash = rawHash }

    /// The parent of a chain's first share.
    public static let none = ShareHash(rawHash: .zero)
}

/// The hash of a network's consensus parameters; peers with different IDs are on
/// different sharechains and refuse each other in the handshake.
public struct ConsensusID: TypedHash {
    public let rawHash: Hash256
    public init(rawHash: Hash256) { self.rawHash = rawHash }
}
