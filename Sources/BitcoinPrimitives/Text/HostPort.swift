/// A network endpoint written `HOST:PORT` (`[v6]:PORT` for IPv6 literals): the one parser
/// and printer of endpoints for the configuration, the miner, and the peer network's
/// addresses and dial keys.
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    /// A name, an IPv4 literal or an IPv6 literal (without brackets).
    public var host: String
    /// The TCP port.
    public var port: Int

    /// What the endpoint is for, which decides the forms accepted.
    public enum Role: Sendable {
        /// An address to listen on: `:PORT` means every interface (`0.0.0.0`) and port 0
        /// lets the system choose one.
        case listen
        /// An address to connect to: a host and a port in 1–65535.
        case connect
    }

    /// The longest host accepted (a DNS name has at most 253 characters; 255 leaves room
    /// for the trailing dot and matches the peer protocol's limit).
    public static let maxHostLength = 255

    /// Creates an endpoint.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` or `[IPV6]:PORT` (and `:PORT` when listening).
    /// - Parameter scheme: a URL scheme that may prefix the text, e.g. `stratum+tcp`
    ///   (pools print `stratum+tcp://host:port`); nil accepts none.
    public init(parsing text: String, role: Role, scheme: String? = nil) throws(HostPortError) {
        var rest = Substring(text)
        if let scheme, rest.hasPrefix(scheme + "://") { rest = rest.dropFirst(scheme.count + 3) }
        let hostPart: Substring
        let portPart: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                throw HostPortError(text: text, reason: "an IPv6 address is written [addr]:port")
            }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            portPart = rest[rest.index(close, offsetBy: 2)...]
            guard !hostPart.isEmpty else { throw HostPortError(text: text, reason: "empty IPv6 address") }
        } else {
            guard let colon = rest.lastIndex(of: ":") else { throw HostPortError(text: text, reason: "no :PORT") }
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
            guard !hostPart.contains(":") else {
                throw HostPortError(text: text, reason: "an IPv6 address is written [addr]:port")
            }
        }
        let ports = role == .listen ? 0...65535 : 1...65535
        guard let port = Int(portPart), ports.contains(port) else {
            throw HostPortError(text: text, reason: "the port must be \(ports.lowerBound)–65535")
        }
        guard hostPart.utf8.count <= Self.maxHostLength else {
            throw HostPortError(text: text, reason: "the host is longer than \(Self.maxHostLength) characters")
        }
        if hostPart.isEmpty {
            guard role == .listen else { throw HostPortError(text: text, reason: "no host") }
            self.init(host: "0.0.0.0", port: port)
        } else {
            self.init(host: String(hostPart), port: port)
        }
    }

    /// `host:port`, with brackets around an IPv6 literal; parses back to the same value.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why a `HOST:PORT` text was refused, in one line.
public struct HostPortError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text as given.
    public var text: String
    /// What is wrong with it.
    public var reason: String

    public var description: String { "\(text) is not HOST:PORT: \(reason)" }
}
