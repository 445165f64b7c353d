import BitcoinPrimitives
import PeerProtocol
import Sharechain

/// Seed inputs for the peer targets, encoded by the project's own encoders (written by
/// `tidepool-fuzz --write-seeds DIR`; the corpus under Tests/Fuzz/Corpus holds them).
enum PeerSeeds {
    static func messages() -> [PeerMessage] {
        let hashes = (0..<3).map { ShareHash(rawHash: SHA256d.hash([UInt8($0)])) }
        var header = [UInt8](repeating: 0, count: 80)
        header[72] = 0xff; header[73] = 0xff; header[74] = 0x7f; header[75] = 0x20
        return [
            .ping(PingMessage(nonce: 42)),
            .pong(PongMessage(nonce: 42)),
            .getaddr,
            .addr(AddrMessage(addresses: [PeerAddress(host: "203.0.113.7", port: 9333, lastSeen: 1_700_000_000),
                                          PeerAddress(host: "2001:db8::1", port: 9333, lastSeen: 1_700_000_001)])),
            .inv(InvMessage(hashes: hashes)),
            .getshares(GetSharesMessage(hashes: hashes)),
            .getlocator(GetShareLocatorMessage(locator: hashes, stop: .none)),
            .sharehashes(ShareHashesMessage(hashes: hashes)),
            .reject(RejectMessage(code: .tooManyPeers, reason: "too many peers")),
            .block(BlockMessage(bytes: header + [0])),
            .getroot(GetRootMessage()),
            .root(RootMessage(root: ChainRoot(height: 7, hash: hashes.first ?? .none, anchorTimestamp: 1_700_000_000,
                                              baseChainWork: UInt256(1) << 40))),
        ]
    }

    /// (file name, bytes) per target.
    static func files() -> [(target: String, name: String, bytes: [UInt8])] {
        let magic = NetworkMagic(network: .devnet)
        var out: [(String, String, [UInt8])] = []
        for m in messages() {
            out.append(("peer-frames", "\(m.command.rawValue).bin", m.frame(magic: magic)))
            let index = Command.allCases.firstIndex(of: m.command)!
            out.append(("peer-message", "\(m.command.rawValue).bin", [UInt8(index)] + m.payload))
        }
        let stream = messages().flatMap { $0.frame(magic: magic) }
        out.append(("peer-frames", "stream.bin", [UInt8(stream.count % 251)] + stream))
        return out
    }
}
