/// A message type: the 12-byte ASCII, NUL-padded command field of a frame.
public enum Command: String, Sendable, CaseIterable {
    case version, verack, ping, pong, getaddr, addr, inv, getshares, shares
    /// `getsharelocator` in the design notes; the wire name fits 12 bytes.
    case getlocator
    case sharehashes, block, reject
    /// Sync from pruned peers: ask for, and answer with, the retained chain's root.
    case getroot, root

    /// Largest accepted payload for this command, bytes. A frame announcing more
    /// is a protocol violation (checked before the payload is buffered).
    public var maxPayloadSize: Int {
        switch self {
        case .version: return VersionMessage.maxEncodedSize
        case .verack: return VerackMessage.encodedSize
        case .ping, .pong: return 8
        case .getaddr: return 0
        case .addr: return AddrMessage.maxEncodedSize
        case .inv: return InvMessage.maxEncodedSize
        case .getshares: return GetSharesMessage.maxEncodedSize
        case .shares: return SharesMessage.maxEncodedSize
        case .getlocator: return GetShareLocatorMessage.maxEncodedSize
        case .sharehashes: return ShareHashesMessage.maxEncodedSize
        case .block: return BlockMessage.maxSize
        case .reject: return RejectMessage.maxEncodedSize
        case .getroot: return GetRootMessage.encodedSize
        case .root: return RootMessage.maxEncodedSize
        }
    }

    /// The 12 wire bytes.
    public var wireBytes: [UInt8] {
        let ascii = Array(rawValue.utf8)
        return ascii + [UInt8](repeating: 0, count: FrameHeader.commandSize - ascii.count)
    }
}
