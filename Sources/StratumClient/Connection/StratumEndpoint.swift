/// A pool address, `HOST:PORT` (IPv6 hosts in brackets: `[::1]:3333`).
public struct StratumEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Host name or address.
    public var host: String
    /// TCP port.
    public var port: Int

    /// Creates an endpoint.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, also accepting a `stratum+tcp://` prefix.
    public init(parsing text: String) throws(StratumClientError) {
        var rest = Substring(text)
        if rest.hasPrefix("stratum+tcp://") { rest = rest.dropFirst("stratum+tcp://".count) }
        guard let colon = rest.lastIndex(of: ":") else { throw .badEndpoint(text) }
        var host = rest[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
            throw .badEndpoint(text)
        }
        self.init(host: String(host), port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
