import BitcoinPrimitives

/// Asks a peer for the root of its retained sharechain (wire command `getroot`), sent by a
/// node that starts with an empty chain (Docs/PROTOCOL-P2P.md, "Sync from pruned peers").
/// Answered with `root`.
///
/// Layout: empty payload.
public struct GetRootMessage: Sendable, Equatable {
    public static let encodedSize = 0
    public init() {}
}

extension GetRootMessage: PeerPayload {
    public static let command = Command.getroot
    public func encode(to w: inout ByteWriter) {}
    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {}
}
