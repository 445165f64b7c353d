import BitcoinPrimitives
import Ed25519
import NIOCore
import NIOPosix
import PeerNetwork
import PeerProtocol
import Sharechain
import NIOConcurrencyHelpers
import SharechainService
import Testing
import TidepoolTestSupport

/// The loopback address attackers connect from: a ban is of the whole IP (it closes the
/// IP's other connections), so honest test nodes on 127.0.0.1 must not share it.
let attackerIP = "127.0.0.2"

/// Opens a raw TCP connection from `localIP` (a loopback address).
func rawConnection(to port: Int, from localIP: String = attackerIP) async throws -> Channel {
    try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(to: try SocketAddress(ipAddress: localIP, port: 0))
        .connect(host: "127.0.0.1", port: port).get()
}

@Suite("PeerNetwork: misbehaving peers are disconnected and banned", .serialized)
struct MisbehaviourTests {
    enum Attack: String, CaseIterable, Sendable {
        case garbage, oversized, badChecksum, invalidShare
        /// Issue 11: frames of an unknown command, before the handshake.
        case unknownCommandFlood, unknownCommandOversized
    }

    @Test(arguments: Attack.allCases)
    func attackerIsBannedWhileHonestTrafficContinues(attack: Attack) async throws {
        try await withNodes(2) { nodes in
            let (victim, honest) = (nodes[0], nodes[1])
            await honest.connect(to: victim)
            try await eventually("honest link") { await victim.manager.peerCount == 1 }
            let magic = NetworkMagic(network: .devnet)

            let attacker: Channel
            switch attack {
            case .garbage, .oversized, .badChecksum, .unknownCommandFlood, .unknownCommandOversized:
                attacker = try await rawConnection(to: victim.port)
                var bytes: [UInt8]
                switch attack {
                case .garbage: bytes = Array("GET / HTTP/1.1\r\nHost: tidepool\r\n\r\n".utf8)
                case .oversized: bytes = magic.bytes + Command.inv.wireBytes + [0, 0, 0x40, 0] + [0, 0, 0, 0]
                case .unknownCommandOversized:
                    bytes = magic.bytes + Array("futurecmd".utf8) + [0, 0, 0] + [0, 0, 0x40, 0] + [0, 0, 0, 0]
                case .unknownCommandFlood:
                    let payload = [UInt8](repeating: 0, count: FrameHeader.maxUnknownPayloadSize)
                    let frame = magic.bytes + Array("futurecmd".utf8) + [0, 0, 0] + [0, 4, 0, 0]
                        + FrameHeader.checksum(of: payload) + payload
                    bytes = Array([[UInt8]](repeating: frame, count: 6).joined())
                default:
                    bytes = PeerMessage.ping(PingMessage(nonce: 1)).frame(magic: magic)
                    bytes[20] ^= 0xff
                }
                try await attacker.writeAndFlush(ByteBuffer(bytes: bytes))
            case .invalidShare:
                let log = EventLog()
                let key = SigningKey.generate()
                attacker = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .bind(to: try SocketAddress(ipAddress: attackerIP, port: 0))
                    .channelInitializer { ch in
                        ch.eventLoop.makeCompletedFuture {
                            try PeerPipeline.configure(ch, id: PeerID(rawValue: 99), machine: machine(.outbound, key: key),
                                                       sink: log.sink)
                        }
                    }
                    .connect(host: "127.0.0.1", port: victim.port).get()
                try await eventually("attacker handshake") { log.established != nil }
                var snapshot = await victim.chain.snapshot()
                let bad = ShareMinter().next(on: &snapshot, script: payoutScript(66), corruptSignature: true)
                try await attacker.writeAndFlush(PeerMessage.shares(SharesMessage(shares: [bad])))
            }
            try await withTimeout(.seconds(10)) { try await attacker.closeFuture.get() }
            try await eventually("ban") { victim.manager.isBanned(attackerIP) }
            #expect(!victim.manager.isBanned("127.0.0.1"))

            // Honest traffic on the existing connection continues.
            let share = await honest.mine()
            try await eventually("honest share") { await victim.tip() == share.hash }
            #expect(await victim.manager.peerCount == 1)

            // New connections from the banned address are dropped.
            let again = try await rawConnection(to: victim.port)
            try await withTimeout(.seconds(10)) { try await again.closeFuture.get() }
        }
    }
}

