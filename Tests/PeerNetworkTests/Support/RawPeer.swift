import TidepoolTestSupport
import BitcoinPrimitives
import Ed25519
import NIOCore
import NIOPosix
import PeerNetwork
import PeerProtocol
import Sharechain
import SharechainService

/// A peer the test drives by hand: a real `PeerPipeline` (so it completes the
/// handshake) whose received messages the test reads from `log` and answers itself.
struct RawPeer: Sendable {
    let channel: Channel
    let log: EventLog

    /// Connects to `port` and completes the handshake.
    static func connect(to port: Int, key: SigningKey = .generate(),
                        parameters: SharechainParameters = peerTestParameters(),
                        chainWork: UInt256 = .zero, from localIP: String = "127.0.0.1") async throws -> RawPeer {
        let log = EventLog()
        let m = machine(.outbound, key: key, parameters: parameters, chainWork: chainWork)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(to: try SocketAddress(ipAddress: localIP, port: 0))
            .channelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    try PeerPipeline.configure(ch, id: PeerID(rawValue: 99), machine: m, sink: log.sink)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let peer = RawPeer(channel: channel, log: log)
        try await eventually("raw peer handshake") { log.established != nil || log.closed != nil }
        return peer
    }

    func send(_ message: PeerMessage) async throws { try await channel.writeAndFlush(message) }

    /// Messages the remote node sent us, in order.
    var received: [PeerMessage] { log.delivered }

    /// Waits until the remote node has handled everything sent before this call: it
    /// handles one peer's messages in order, so its `addr` answer to a `getaddr` comes
    /// after them.
    func roundTrip() async throws {
        let before = received.count { if case .addr = $0 { true } else { false } }
        try await send(.getaddr)
        try await eventually("addr answer") { received.count { if case .addr = $0 { true } else { false } } > before }
    }

    func close() async { try? await channel.close() }

    /// Answers every request the remote node sends with `answer` (nil: no answer) until
    /// the returned task is cancelled.
    func answering(_ answer: @escaping @Sendable (PeerMessage) -> PeerMessage?) -> Task<Void, Never> {
        Task {
            var handled = 0
            while !Task.isCancelled {
                let all = received
                for m in all[handled...] {
                    if let reply = answer(m) { try? await send(reply) }
                }
                handled = all.count
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// How many of the received messages are of `command`.
    func count(_ command: Command) -> Int { received.count { $0.command == command } }
}
