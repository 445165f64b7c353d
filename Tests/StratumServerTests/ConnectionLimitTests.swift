import BitcoinPrimitives
import Foundation
import Logging
import NIOCore
import StratumProtocol
import Testing
@testable import StratumServer

/// Connection caps and the ready timeout (Docs/STRATUM.md, "When a connection is closed").
@Suite("Stratum: connection caps and timeouts")
struct ConnectionLimitTests {
    /// Opens a TCP connection to 127.0.0.1:`port`; returns the descriptor.
    func dial(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Whether the server closed `fd` (a read returns end of file within 20 s). Polls
    /// without blocking, so no thread of the shared concurrency pool is held.
    func closedByServer(_ fd: Int32, within limit: Duration = .seconds(20)) async -> Bool {
        var byte: UInt8 = 0
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
            if n == 0 { return true }
            if n > 0 { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Whether the server closes `fd` within `limit`, whatever it sends before closing.
    func eventuallyClosed(_ fd: Int32, within limit: Duration = .seconds(20)) async -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n == 0 { return true }
            if n < 0 { try? await Task.sleep(for: .milliseconds(10)) }
        }
        return false
    }

    /// Up to 512 bytes received on `fd` within 20 s (polling, as above).

    /// Waits (bounded) until the server holds `count` connections.
    func connections(_ server: StratumServer, reach count: Int) async {
        for _ in 0..<2000 where server.connectionCount != count { try? await Task.sleep(for: .milliseconds(10)) }
    }

    func receive(_ fd: Int32) async -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 512)
        for _ in 0..<2000 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 { return Array(buffer[0..<n]) }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return []
    }

    @Test("one IP may mine to a bounded number of payout addresses; more are closed after authorizing")
    func payoutScriptsPerIPCap() async throws {
        var config = StratumServerConfiguration(host: "127.0.0.1", port: 0, network: .devnet)
        config.maximumPayoutScriptsPerIP = 3
        let source = MockWorkSource()
        let server = StratumServer(configuration: config, workSource: source, sink: MockSink(),
                                   logger: Logger(label: "test"))
        let port = try await server.bind().port!
        let serving = Task { try await server.run() }  // answers job fetches
        defer { serving.cancel() }
        func authorize(_ fd: Int32, _ address: String) {
            let text = #"{"id":1,"method":"mining.subscribe","params":[]}"# + "\n"
                + #"{"id":2,"method":"mining.authorize","params":[""# + address + #"","x"]}"# + "\n"
            let line = Array(text.utf8)
            _ = line.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        }
        let addresses = (1...4).map { n in
            Address.p2wpkh(Hash160(bytes: [UInt8](repeating: UInt8(n), count: 20))!).encoded(for: .regtest)
        }
        var fds: [Int32] = []
        for address in addresses.prefix(3) {
            let fd = try dial(port)
            authorize(fd, address)
            fds.append(fd)
            #expect(String(decoding: await receive(fd), as: UTF8.self).contains(#""id":1"#))
        }
        // A second connection for an address already mined to from this IP is fine.
        let same = try dial(port)
        authorize(same, addresses[0])
        #expect(!(await eventuallyClosed(same, within: .seconds(1))))
        // A fourth distinct address from the same IP is refused.
        let fourth = try dial(port)
        authorize(fourth, addresses[3])
        #expect(await eventuallyClosed(fourth), "a 4th payout address from 127.0.0.1 is refused")
        // When one leaves, a new address fits again.
        // Open now: the three fds and `same` (the refused fourth is gone); one leaves.
        await connections(server, reach: 4)
        close(fds[2])
        await connections(server, reach: 3)
        #expect(server.connectionCount == 3)
        let again = try dial(port)
        authorize(again, addresses[3])
        #expect(!(await eventuallyClosed(again, within: .seconds(1))))
        for fd in fds.prefix(2) + [same, again] { close(fd) }
        await server.shutdown()
    }

    @Test("connections past the per-IP cap are closed at accept; the others stay and are answered")
    func perIPCap() async throws {
        var config = StratumServerConfiguration(host: "127.0.0.1", port: 0, network: .devnet)
        config.maximumConnectionsPerIP = 2
        let server = StratumServer(configuration: config, workSource: MockWorkSource(), sink: MockSink(),
                                   logger: Logger(label: "test"))
        let port = try await server.bind().port!
        let serving = Task { try await server.run() }  // answers job fetches
        defer { serving.cancel() }
        let a = try dial(port), b = try dial(port)
        await connections(server, reach: 2)
        let c = try dial(port)
        #expect(await closedByServer(c), "the third connection from 127.0.0.1 is refused")
        let line = Array(#"{"id":1,"method":"mining.subscribe","params":[]}"#.utf8) + [10]
        _ = line.withUnsafeBytes { send(a, $0.baseAddress, $0.count, 0) }
        let answer = await receive(a)
        #expect(String(decoding: answer, as: UTF8.self).contains(#""id":1"#))
        #expect(server.connectionCount == 2)
        // A closed connection frees its slot.
        close(b)
        await connections(server, reach: 1)
        let d = try dial(port)
        await connections(server, reach: 2)
        #expect(server.connectionCount == 2)
        #expect(!(await closedByServer(d, within: .milliseconds(300))), "the freed slot is usable")
        for fd in [a, c, d] { close(fd) }
        await server.shutdown()
    }

    @Test("a connection not subscribed and authorized within the ready timeout is closed; a ready one is not")
    func readyTimeout() {
        let t0 = ContinuousClock.now
        var idle = StratumSession(extranonce1: [1, 2, 3, 4], network: .regtest, now: t0)
        #expect(idle.tick(now: t0 + .seconds(30)).isEmpty)
        let late = idle.tick(now: t0 + StratumSession.readyTimeout)
        #expect(late.contains { if case .close = $0 { return true } else { return false } })
        var ready = StratumSession(extranonce1: [1, 2, 3, 4], network: .regtest, now: t0)
        _ = ready.handle(StratumRequest(id: .integer(1), method: "mining.subscribe", params: []), now: t0)
        _ = ready.handle(StratumRequest(id: .integer(2), method: "mining.authorize",
                                        params: [.string(Fixture.address), .string("x")]), now: t0)
        let later = ready.tick(now: t0 + .seconds(600))
        #expect(!later.contains { if case .close = $0 { return true } else { return false } })
    }
}
