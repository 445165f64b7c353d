import BitcoinPrimitives
import Ed25519

/// Accepts the peer's `version` and proves ownership of the node key sent in
/// this side's `version`: an Ed25519 signature over `HandshakeProof.message`.
///
/// Layout: `signature [64]`
public struct VerackMessage: Sendable, Equatable {
    public static let encodedSize = 64
    public var signature: Signature

    public init(signature: Signature) { self.signature = signature }
}

extension VerackMessage: PeerPayload {
    public static let command = Command.verack

    public func encode(to w: inout ByteWriter) { signature.withUnsafeBytes { w.write($0) } }

    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        signature = Signature(rawRepresentation: try r.readBytes(64))!
    }
}
