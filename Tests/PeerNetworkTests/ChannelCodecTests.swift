import BitcoinPrimitives
import Ed25519
import NIOCore
import NIOEmbedded
import PeerNetwork
import PeerProtocol
import Sharechain
import Synchronization
import Testing

/// Collects a handler's events (the sink is called on the embedded loop's thread).
final class EventLog: Sendable {
    let events = Mutex<[PeerEvent]>([])
    var sink: @Sendable (PeerEvent) -> Void { { e in self.events.withLock { $0.append(e) } } }
    var established: VersionMessage? {
        events.withLock { $0.lazy.compactMap { if case .established(_, let v) = $0 { v } else { nil } }.first }
    }
    var closed: (CloseReason, Bool)? {
        events.withLock { $0.lazy.compactMap { if case .closed(_, let r, let b) = $0 { (r, b) } else { nil } }.first }
    }
    var delivered: [PeerMessage] {
        events.withLock { $0.compactMap { if case .message(_, let m) = $0 { m } else { nil } } }
    }
}

func machine(_ direction: PeerStateMachine.Direction, key: SigningKey, parameters: SharechainParameters = peerTestParameters(),
             timings: PeerTimings = PeerTimings()) -> PeerStateMachine {
    let version = VersionMessage(consensusID: parameters.consensusID, bestTip: .none, bestHeight: 0, chainWork: .zero,
                                 listenPort: 0, userAgent: "test", nodeKey: key.publicKey,
                                 nonce: (0..<32).map { _ in UInt8.random(in: 0...255) })
    return PeerStateMachine(direction: direction, local: .init(parameters: parameters, key: key, version: version),
                            timings: timings)
}

/// Moves every outbound byte of `from` into `to`, one byte per write.
func pump(_ from: EmbeddedChannel, _ to: EmbeddedChannel) throws -> Int {
    var moved = 0
    while let buffer = try from.readOutbound(as: ByteBuffer.self) {
        for byte in buffer.readableBytesView {
            guard to.isActive else { return moved }
            try to.writeInbound(ByteBuffer(bytes: [byte]))
            moved += 1
        }
    }
    return moved
}

func connectedPair(a: PeerStateMachine, b: PeerStateMachine) throws -> (EmbeddedChannel, EventLog, EmbeddedChannel, EventLog) {
    let ca = EmbeddedChannel(), cb = EmbeddedChannel()
    let la = EventLog(), lb = EventLog()
    try PeerPipeline.configure(ca, id: PeerID(rawValue: 1), machine: a, sink: la.sink)
    try PeerPipeline.configure(cb, id: PeerID(rawValue: 2), machine: b, sink: lb.sink)
    try cb.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    try ca.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2)).wait()
    for _ in 0..<10 {
        let moved = try pump(ca, cb) + pump(cb, ca)
        if moved == 0 { break }
    }
    return (ca, la, cb, lb)
}

@Suite("PeerNetwork: codec and handshake over EmbeddedChannel")
struct ChannelCodecTests {
    let keyA = SigningKey(rawRepresentation: [UInt8](repeating: 1, count: 32))!
    let keyB = SigningKey(rawRepresentation: [UInt8](repeating: 2, count: 32))!

    @Test("the frame decoder handler reassembles frames fed one byte at a time")
    func decoderByteByByte() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(PeerFrameDecoder(magic: NetworkMagic(network: .devnet))))
        let messages: [PeerMessage] = [.getaddr, .ping(PingMessage(nonce: 3)),
                                       .inv(InvMessage(hashes: [ShareHash(rawHash: SHA256d.hash([1]))]))]
        for byte in messages.flatMap({ $0.frame(magic: NetworkMagic(network: .devnet)) }) {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        var out: [PeerMessage] = []
        while let m = try channel.readInbound(as: PeerMessage.self) { out.append(m) }
        #expect(out == messages)
        _ = try channel.finish()
    }

    @Test("handshake completes both ways with byte-by-byte delivery")
    func handshakeAccepted() throws {
        let (ca, la, cb, lb) = try connectedPair(a: machine(.outbound, key: keyA), b: machine(.inbound, key: keyB))
        #expect(la.established?.nodeKey == keyB.publicKey)
        #expect(lb.established?.nodeKey == keyA.publicKey)
        // Application messages flow after it.
        try ca.writeOutbound(PeerMessage.inv(InvMessage(hashes: [])))
        _ = try pump(ca, cb)
        #expect(lb.delivered == [.inv(InvMessage(hashes: []))])
        _ = try? ca.finish()
        _ = try? cb.finish()
    }

    @Test("a consensus ID mismatch is refused with a reject, without a ban")
    func consensusMismatch() throws {
        var other = peerTestParameters()
        other.shareInterval = 11
        let (ca, la, cb, lb) = try connectedPair(a: machine(.outbound, key: keyA, parameters: other),
                                                 b: machine(.inbound, key: keyB))
        #expect(lb.established == nil && la.established == nil)
        let (reason, ban) = try #require(lb.closed)
        #expect(!ban)
        if case .refused(let code, _) = reason { #expect(code == .consensusMismatch) } else { Issue.record("\(reason)") }
        if case .rejectedByPeer(let code, _)? = la.closed?.0 { #expect(code == .consensusMismatch) } else {
            Issue.record("A did not see the reject: \(String(describing: la.closed))")
        }
        _ = try? ca.finish()
        _ = try? cb.finish()
    }

    @Test("a private network refuses keys outside its allowlist")
    func allowlist() throws {
        let params = peerTestParameters(privateNetwork: PrivateNetwork(allowedNodeKeys: [keyB.publicKey]))
        let (ca, _, cb, lb) = try connectedPair(a: machine(.outbound, key: keyA, parameters: params),
                                                b: machine(.inbound, key: keyB, parameters: params))
        #expect(lb.established == nil)
        if case .refused(let code, _)? = lb.closed?.0 { #expect(code == .nodeKeyNotAllowed) } else {
            Issue.record("B did not refuse: \(String(describing: lb.closed))")
        }
        _ = try? ca.finish()
        _ = try? cb.finish()
    }

    @Test("a verack that does not prove the announced key is refused and banned")
    func badProof() throws {
        let params = peerTestParameters()
        let channel = EmbeddedChannel()
        let log = EventLog()
        try PeerPipeline.configure(channel, id: PeerID(rawValue: 1), machine: machine(.inbound, key: keyB), sink: log.sink)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let magic = NetworkMagic(network: .devnet)
        let version = VersionMessage(consensusID: params.consensusID, bestTip: .none, bestHeight: 0, chainWork: .zero,
                                     listenPort: 0, userAgent: "evil", nodeKey: keyA.publicKey,
                                     nonce: [UInt8](repeating: 5, count: 32))
        try channel.writeInbound(ByteBuffer(bytes: PeerMessage.version(version).frame(magic: magic)))
        // Signs its own nonce instead of ours.
        let forged = HandshakeProof.verack(answering: version, key: keyA, consensusID: params.consensusID)
        try channel.writeInbound(ByteBuffer(bytes: PeerMessage.verack(forged).frame(magic: magic)))
        #expect(log.established == nil)
        let (reason, ban) = try #require(log.closed)
        #expect(ban)
        if case .refused(let code, _) = reason { #expect(code == .badHandshakeProof) } else { Issue.record("\(reason)") }
        _ = try? channel.finish()
    }

    @Test("garbage bytes close the channel with a ban")
    func garbage() throws {
        let channel = EmbeddedChannel()
        let log = EventLog()
        try PeerPipeline.configure(channel, id: PeerID(rawValue: 1), machine: machine(.inbound, key: keyB), sink: log.sink)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        _ = try? channel.writeInbound(ByteBuffer(bytes: Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)))
        #expect(!channel.isActive)
        #expect(log.closed?.1 == true)
    }
}

