import BitcoinPrimitives
import Testing

/// One parser for every `HOST:PORT` the node reads (config, peers, the miner's pool).
@Suite struct HostPortTests {
    @Test("hosts, IPv6 in brackets, and the printed form parses back")
    func roundTrip() throws {
        for (text, host, port) in [("127.0.0.1:3333", "127.0.0.1", 3333), ("[::1]:8333", "::1", 8333),
                                   ("node.example:1", "node.example", 1), ("[2001:db8::7]:65535", "2001:db8::7", 65535)] {
            let parsed = try HostPort(parsing: text, role: .connect)
            #expect(parsed == HostPort(host: host, port: port))
            #expect(parsed.description == text)
            #expect(try HostPort(parsing: parsed.description, role: .connect) == parsed)
        }
    }

    @Test("listening accepts :PORT (every interface) and port 0; connecting accepts neither")
    func roles() throws {
        #expect(try HostPort(parsing: ":3333", role: .listen) == HostPort(host: "0.0.0.0", port: 3333))
        #expect(try HostPort(parsing: "127.0.0.1:0", role: .listen).port == 0)
        #expect(throws: HostPortError.self) { try HostPort(parsing: ":3333", role: .connect) }
        #expect(throws: HostPortError.self) { try HostPort(parsing: "h:0", role: .connect) }
    }

    @Test("a scheme prefix only where one is allowed")
    func scheme() throws {
        #expect(try HostPort(parsing: "stratum+tcp://pool.example:3334", role: .connect, scheme: "stratum+tcp")
                == HostPort(host: "pool.example", port: 3334))
        #expect(throws: HostPortError.self) { try HostPort(parsing: "stratum+tcp://pool.example:3334", role: .connect) }
    }

    @Test("malformed text gets a one-line reason")
    func malformed() {
        for bad in ["nohost", "h:99999", "h:x", "h:", "::1:80", "[::1]", "[]:80", "[::1]80",
                    String(repeating: "a", count: 256) + ":1"] {
            #expect(throws: HostPortError.self, "\(bad)") { try HostPort(parsing: bad, role: .connect) }
        }
        let error = try? HostPort(parsing: "::1:80", role: .connect)
        #expect(error == nil)
        do { _ = try HostPort(parsing: "h:x", role: .listen) } catch {
            #expect(error.description == "h:x is not HOST:PORT: the port must be 0–65535")
        }
    }
}
