import JSON
import NIOCore
import NIOEmbedded
import StratumProtocol
import Testing
@testable import StratumServer

/// Real clients' bytes through the server's framing (EmbeddedChannel), one byte at a time.
/// The lines are those of Tests/StratumProtocolTests/Vectors (see Docs/STRATUM.md,
/// "Compatibility with real clients").
@Suite("Real-client bytes through the framing")
struct RealClientFramingTests {
    func connection() throws -> EmbeddedChannel {
        let server = Fixture.server()
        let channel = EmbeddedChannel()
        try server.initialize(channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 3333)).wait()
        return channel
    }

    func outboundLines(_ channel: EmbeddedChannel) throws -> [JSONValue] {
        var lines: [JSONValue] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            for line in buffer.readableBytesView.split(separator: 0x0a) { lines.append(try JSONParser.parse(line)) }
        }
        return lines
    }

    /// ESP-Miner writes configure, subscribe and authorize back to back without waiting
    /// (stratum_v1_task.c): three answers, in order, under ids 1, 2, 3.
    @Test func espMinerPipelinedHandshakeByteByByte() throws {
        let channel = try connection()
        let text = """
            {"id":1,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"ffffffff"}]}
            {"id":2,"method":"mining.subscribe","params":["bitaxe/BM1370/v2.15.0"]}
            {"id":3,"method":"mining.authorize","params":["\(Fixture.address).bitaxe","x"]}

            """
        for byte in text.utf8 { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        let responses = try outboundLines(channel).filter { $0["method"] == nil }
        #expect(responses.map { $0["id"] } == [.number("1"), .number("2"), .number("3")])
        #expect(responses.first?["result"]?["version-rolling.mask"] == .string("1fffe000"))
        #expect(responses.dropFirst().first?["result"]?.arrayValue?.last == .number("8"))
        #expect(responses.last?["result"] == .bool(true))
        #expect(channel.isActive)
        _ = try? channel.finish()
    }

    /// cpuminer's lines with their spaces, split across reads at awkward places, and
    /// NerdMiner's "params"-first authorize.
    @Test func cpuminerAndNerdMinerSpacingSplitAcrossReads() throws {
        let channel = try connection()
        let text = "{\"id\": 1, \"method\": \"mining.subscribe\", \"params\": [\"cpuminer/2.5.1\"]}\n"
            + "{\"params\": [\"\(Fixture.address)\", \"x\"], \"id\": 2, \"method\": \"mining.authorize\"}\n"
        let bytes = Array(text.utf8)
        for chunk in stride(from: 0, to: bytes.count, by: 7) {
            try channel.writeInbound(ByteBuffer(bytes: bytes[chunk..<min(chunk + 7, bytes.count)]))
        }
        let responses = try outboundLines(channel).filter { $0["method"] == nil }
        #expect(responses.map { $0["id"] } == [.number("1"), .number("2")])
        #expect(responses.last?["result"] == .bool(true))
        #expect(channel.isActive)
        _ = try? channel.finish()
    }
}
