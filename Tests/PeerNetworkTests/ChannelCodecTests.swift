import BitcoinPrimitives
import Ed25519
import NIOCore
import NIOEmbedded
import PeerNetwork
import PeerProtocol
import Sharechain
import NIOConcurrencyHelpers
import SharechainService
import Testing

/// Collects a handler's events (the sink is called on the embedded loop's thread).
final class EventLog: Sendable {
    let events = NIOLockedValueBox<[PeerEvent]>([])
    var sink: @Sendable (PeerEvent) -> Void { { e in self.events.withLockedValue { $0.append(e) } } }
    var established: VersionMessage? {
        events.withLockedValue { $0.lazy.compactMap { if case .established(_, let v) = $0 { v } else { nil } }.first }
    }
    var closed: (CloseReason, Bool)? {
        events.withLockedValue { $0.lazy.compactMap { if case .closed(_, let r, let b) = $0 { (r, b) } else { nil } }.first }
    }
    var delivered: [PeerMessage] {
        events.withLockedValue { $0.compactMap { if case .message(_, let m) = $0 { m } else { nil } } }
    }
}

func machine(_ direction: PeerStateMachine.Direction, key: SigningKey, parameters: SharechainParameters = peerTestParameters(),
             timings: PeerTimings = PeerTimings(), chainWork: UInt256 = .zero) -> PeerStateMachine {
    let version = VersionMessage(consensusID: parameters.consensusID, bestTip: .none, bestHeight: 0, chainWork: chainWork,
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

    @Test("a node that knows the consensus ID but not the password is refused and banned")
    func passwordNotKnown() throws {
        let params = peerTestParameters(privateNetwork: PrivateNetwork(password: "correct horse battery staple"))
        let honest = machine(.inbound, key: keyB, parameters: params)
        // The attacker copies the public consensus ID (its parameters' password is a guess,
        // so its machine is built with the real parameters and a wrong password key).
        var local = machine(.outbound, key: keyA, parameters: params).local
        local.passwordKey = HandshakeProof.passwordKey("guess")
        let attacker = PeerStateMachine(direction: .outbound, local: local)
        let (ca, _, cb, lb) = try connectedPair(a: attacker, b: honest)
        #expect(lb.established == nil)
        let (reason, ban) = try #require(lb.closed)
        #expect(ban)
        if case .refused(let code, _) = reason { #expect(code == .badHandshakeProof) } else { Issue.record("\(reason)") }
        _ = try? ca.finish()
        _ = try? cb.finish()
        // With the password, the same network shakes hands.
        let (ca2, la2, cb2, lb2) = try connectedPair(a: machine(.outbound, key: keyA, parameters: params),
                                                     b: machine(.inbound, key: keyB, parameters: params))
        #expect(la2.established != nil && lb2.established != nil)
        _ = try? ca2.finish()
        _ = try? cb2.finish()
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

    /// A frame of the unknown command `futurecmd` with `length` zero bytes of payload.
    func unknownFrame(length: Int) -> [UInt8] {
        let payload = [UInt8](repeating: 0, count: length)
        let l = UInt32(length)
        return NetworkMagic(network: .devnet).bytes + Array("futurecmd".utf8) + [0, 0, 0]
            + [UInt8(l & 0xff), UInt8(l >> 8 & 0xff), UInt8(l >> 16 & 0xff), UInt8(l >> 24)]
            + FrameHeader.checksum(of: payload) + payload
    }

    @Test("unknown-command frames before the handshake cost 20 points each: the fifth bans")
    func unknownFramesBeforeHandshake() throws {
        let channel = EmbeddedChannel()
        let log = EventLog()
        try PeerPipeline.configure(channel, id: PeerID(rawValue: 1), machine: machine(.inbound, key: keyB), sink: log.sink)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        for i in 1...5 {
            #expect(log.closed == nil, "closed after \(i - 1) frames")
            _ = try? channel.writeInbound(ByteBuffer(bytes: unknownFrame(length: FrameHeader.maxUnknownPayloadSize)))
        }
        let (reason, ban) = try #require(log.closed)
        #expect(ban)
        if case .misbehaviour = reason {} else { Issue.record("\(reason)") }
        #expect(!channel.isActive)
    }

    @Test("an unknown-command frame announcing 4 MiB is refused with a ban on its 24-byte header")
    func unknownFrameOversized() throws {
        let channel = EmbeddedChannel()
        let log = EventLog()
        try PeerPipeline.configure(channel, id: PeerID(rawValue: 1), machine: machine(.inbound, key: keyB), sink: log.sink)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let header = Array(unknownFrame(length: FrameHeader.maxPayloadSize).prefix(FrameHeader.size))
        _ = try? channel.writeInbound(ByteBuffer(bytes: header))
        let (reason, ban) = try #require(log.closed)
        #expect(ban)
        if case .protocolViolation = reason {} else { Issue.record("\(reason)") }
    }

    @Test("after the handshake unknown frames are skipped within an allowance, then scored to a ban")
    func unknownFramesAfterHandshake() throws {
        let (ca, _, cb, lb) = try connectedPair(a: machine(.outbound, key: keyA), b: machine(.inbound, key: keyB))
        #expect(lb.established != nil)
        let allowance = Int(PeerRateLimits().unknownCommands.capacity)
        for _ in 0..<allowance { try cb.writeInbound(ByteBuffer(bytes: unknownFrame(length: 16))) }
        #expect(lb.closed == nil)
        var sent = 0
        while lb.closed == nil && sent < 100 {
            _ = try? cb.writeInbound(ByteBuffer(bytes: unknownFrame(length: 16)))
            sent += 1
        }
        #expect(sent == 100 / PeerStateMachine.rateLimitPenalty)
        #expect(lb.closed?.1 == true)
        _ = try? ca.finish()
        _ = try? cb.finish()
    }
}
