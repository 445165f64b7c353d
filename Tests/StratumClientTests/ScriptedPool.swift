import JSON
import BitcoinPrimitives
import NIOCore
import NIOExtras
import NIOPosix
@testable import StratumClient

/// A tiny scripted Stratum pool on 127.0.0.1 for loopback tests. Connection 1 is
/// dropped right after the subscribe request (to exercise reconnect); later
/// connections subscribe, authorize, set a very low difficulty, send block
/// 100000's job, and accept every submit, handing its params to `submits`.
struct ScriptedPool: Sendable {
    let difficulty: String
    let submits: AsyncStream<[JSONValue]>.Continuation

    static let extranonce1 = "a1b2c3d4"

    func bind() async throws -> NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never> {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    func serve(_ server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) async throws {
        try await server.executeThenClose { connections in
            var number = 0
            for try await connection in connections {
                number += 1
                let dropEarly = number == 1
                try? await connection.executeThenClose { inbound, outbound in
                    for try await buffer in inbound {
                        let message = try JSONParser.parse(Array(buffer.readableBytesView))
                        let id = message["id"] ?? .null
                        switch message["method"]?.stringValue {
                        case "mining.subscribe":
                            if dropEarly { return }
                            try await send(outbound, [("id", id), ("result", .array([
                                .array([]), .string(Self.extranonce1), .number("4")])), ("error", .null)])
                        case "mining.authorize":
                            try await send(outbound, [("id", id), ("result", .bool(true)), ("error", .null)])
                            try await send(outbound, [("id", .null), ("method", .string("mining.set_difficulty")),
                                                      ("params", .array([.number(difficulty)]))])
                            try await send(outbound, [("id", .null), ("method", .string("mining.notify")),
                                                      ("params", .array(Block100000.notifyParams()))])
                        case "mining.submit":
                            submits.yield(message["params"]?.arrayValue ?? [])
                            try await send(outbound, [("id", id), ("result", .bool(true)), ("error", .null)])
                        default:
                            try await send(outbound, [("id", id), ("result", .null), ("error", .string("unknown"))])
                        }
                    }
                }
            }
        }
    }

    private func send(_ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, _ members: [(String, JSONValue)]) async throws {
        try await outbound.write(ByteBuffer(string: JSONValue.object(members.map { JSONMember($0.0, $0.1) }).jsonText + "\n"))
    }
}
