import BitcoinPrimitives
import Sharechain

/// The answer to `getroot` (wire command `root`): the sender's chain root — its best chain's
/// oldest retained share with the ASERT anchor and the chain work of the pruned shares below
/// (`ChainRoot`, Docs/PROTOCOL.md §10) — or none when it never pruned (it serves its chain
/// from the first share).
///
/// Layout: `has_root u8 (0 or 1) | ChainRoot (76 bytes, when has_root = 1)`.
public struct RootMessage: Sendable, Equatable {
    public static let maxEncodedSize = 1 + ChainRoot.encodedSize
    /// The sender's root, nil when it keeps its chain from the first share.
    public var root: ChainRoot?
    public init(root: ChainRoot?) { self.root = root }
}

extension RootMessage: PeerPayload {
    public static let command = Command.root
    public func encode(to w: inout ByteWriter) {
        if let root {
            w.write(1 as UInt8)
            root.encode(to: &w)
        } else {
            w.write(0 as UInt8)
        }
    }
    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        let start = r.offset
        switch try r.readUInt8() {
        case 0: root = nil
        case 1: root = try ChainRoot(from: &r)
        default: throw .invalidValue(offset: start, reason: "has_root is not 0 or 1")
        }
    }
}
