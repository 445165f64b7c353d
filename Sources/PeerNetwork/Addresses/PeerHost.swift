import NIOCore

/// Canonical forms of peer hosts, so that one machine has one identity in bans,
/// misbehaviour scores and connection caps.
public enum PeerHost {
    /// The canonical text of an IP literal: IPv4-mapped IPv6 (`::ffff:1.2.3.4`, in any
    /// spelling) becomes the dotted IPv4 address, IPv6 is compressed and lowercased.
    /// nil when `host` is not an IP literal (a DNS name).
    public static func canonicalIP(_ host: String) -> String? {
        var text = host
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        guard !text.isEmpty, !text.contains("%"), let address = try? SocketAddress(ipAddress: text, port: 0) else {
            return nil
        }
        if case .v6 = address, let b = bytes(text), b.count == 16,
           b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xff, b[11] == 0xff {
            return b[12..<16].map { String($0) }.joined(separator: ".")
        }
        return address.ipAddress
    }

    /// `canonicalIP(host)` for IP literals, the lowercased name otherwise.
    public static func canonical(_ host: String) -> String { canonicalIP(host) ?? host.lowercased() }

    /// The IP's raw bytes (4 or 16), nil for a name.
    static func bytes(_ ip: String) -> [UInt8]? {
        guard let address = try? SocketAddress(ipAddress: ip, port: 0) else { return nil }
        switch address {
        case .v4(let v4): return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6): return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default: return nil
        }
    }

    /// Whether `ip` (canonical) is a loopback address.
    public static func isLoopback(_ ip: String) -> Bool {
        guard let b = bytes(ip) else { return false }
        return b.count == 4 ? b[0] == 127 : b == [UInt8](repeating: 0, count: 15) + [1]
    }

    /// Whether `ip` is not globally routable: unspecified, loopback, private (RFC 1918,
    /// RFC 4193), link-local, carrier-grade NAT, multicast, broadcast or documentation.
    public static func isNonPublic(_ ip: String) -> Bool {
        guard let b = bytes(ip) else { return true }
        if b.count == 4 {
            switch (b[0], b[1]) {
            case (0, _), (10, _), (127, _), (169, 254), (192, 168), (255, _): return true
            case (172, 16...31), (100, 64...127), (224...239, _): return true
            case (192, 0) where b[2] == 2, (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: return true
            default: return false
            }
        }
        if b.allSatisfy({ $0 == 0 }) || isLoopback(ip) { return true }
        if b[0] & 0xfe == 0xfc { return true }                 // fc00::/7 unique local
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return true }  // fe80::/10 link-local
        if b[0] == 0xff { return true }                         // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return true }  // 2001:db8::/32
        return false
    }

    /// The network group used for connection caps: the /16 of an IPv4 address, the /32
    /// of an IPv6 one, the name itself otherwise.
    public static func group(_ host: String) -> String {
        guard let ip = canonicalIP(host), let b = bytes(ip) else { return host.lowercased() }
        return b.count == 4 ? "\(b[0]).\(b[1]).0.0/16" : b[0..<4].map { String($0, radix: 16) }.joined(separator: ":") + "::/32"
    }
}
