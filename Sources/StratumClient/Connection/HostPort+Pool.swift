import BitcoinPrimitives

extension HostPort {
    /// A pool's address as miners write it: `HOST:PORT`, `[IPV6]:PORT`, optionally with the
    /// `stratum+tcp://` prefix pools print.
    public static func pool(parsing text: String) throws(HostPortError) -> HostPort {
        try HostPort(parsing: text, role: .connect, scheme: "stratum+tcp")
    }
}
