import JSON
import NIOCore
import NIOEmbedded
import StratumProtocol
import Testing
@testable import StratumServer

@Suite("Stratum line framing (EmbeddedChannel)")
struct EmbeddedCodecTests {
    /// A connection set up exactly as the server sets up accepted ones.
    func connection(maximumLineLength: Int = 16 * 1024) throws -> (EmbeddedChannel, StratumServer) {
        let server = Fixture.server(maximumLineLength: maximumLineLength)
        let channel = EmbeddedChannel()
        try server.initialize(channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 3333)).wait()
        return (channel, server)
    }

    func outboundLines(_ channel: EmbeddedChannel) throws -> [JSONValue] {
        var lines: [JSONValue] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            for line in buffer.readableBytesView.split(separator: 0x0a) { lines.append(try JSONParser.parse(line)) }
        }
        return lines
    }

    @Test func requestsFedByteByByteAreFramed() throws {
        let (channel, _) = try connection()
        let text = "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\r\n\n  \n{\"id\":2,\"method\":\"mining.extranonce.subscribe\"}\n"
        for byte in text.utf8 { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        let lines = try outboundLines(channel)
        #expect(lines.count == 2)
        #expect(lines[0]["id"] == .number("1"))
        #expect(lines[0]["result"]?.arrayValue?.count == 3)
        #expect(lines[1] == .object([JSONMember("id", .number("2")), JSONMember("result", .bool(true)),
                                     JSONMember("error", .null)]))
        #expect(channel.isActive)
        _ = try? channel.finish()
    }

    @Test func malformedJSONGetsAnErrorAndTheConnectionStays() throws {
        let (channel, _) = try connection()
        try channel.writeInbound(ByteBuffer(string: "{this is not json\n[1,2]\n{\"id\":3,\"method\":\"nope\"}\n"))
        let lines = try outboundLines(channel)
        #expect(lines.count == 3)
        #expect(lines[0]["id"] == .null)
        #expect(lines[0]["error"]?.arrayValue?.first == .number("20"))
        #expect(lines[1]["error"]?.arrayValue?.first == .number("20"))
        #expect(lines[2]["error"] == .array([.number("20"), .string("Unknown method"), .null]))
        #expect(channel.isActive)
        _ = try? channel.finish()
    }

    @Test func oversizedLineClosesTheConnection() throws {
        let (channel, server) = try connection(maximumLineLength: 1024)
        #expect(server.connectionCount == 1)
        let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 600)
        try channel.writeInbound(chunk)
        #expect(channel.isActive)
        try channel.writeInbound(chunk)  // 1,200 bytes and no newline
        #expect(!channel.isActive)
        #expect(server.connectionCount == 0)
    }

    @Test func longLineWithNewlineOverTheCapAlsoCloses() throws {
        let (channel, _) = try connection(maximumLineLength: 64)
        try channel.writeInbound(ByteBuffer(string: "{\"id\":1,\"method\":\"" + String(repeating: "x", count: 80) + "\"}\n"))
        #expect(!channel.isActive)
    }
}
