import BitcoinPrimitives
import Ed25519
import NIOCore
import PeerProtocol
import Sharechain

/// One connection's protocol logic, free of I/O: handshake, ping schedule,
/// request timeouts, misbehaviour score and rate limits. Inputs are messages,
/// frame errors, the clock and the manager's penalties; outputs are `Action`s
/// that a thin NIO handler carries out.
public struct PeerStateMachine: Sendable {
    /// Who opened the connection.
    public enum Direction: Sendable { case inbound, outbound }

    /// What this node brings to a handshake.
    public struct Local: Sendable {
        public var parameters: SharechainParameters
        public var consensusID: ConsensusID
        public var key: SigningKey
        /// This node's `version` for this connection (with a fresh nonce).
        public var version: VersionMessage
        /// `HandshakeProof.passwordKey` of the private network's password (nil without
        /// one), which the `verack` proofs bind.
        public var passwordKey: [UInt8]?

        public init(parameters: SharechainParameters, key: SigningKey, version: VersionMessage) {
            self.parameters = parameters
            consensusID = parameters.consensusID
            self.key = key
            self.version = version
            passwordKey = HandshakeProof.passwordKey(of: parameters.privateNetwork)
        }
    }

    /// Something for the handler to do.
    public enum Action: Sendable, Equatable {
        /// Write this message.
        case send(PeerMessage)
        /// The handshake completed; the peer's `version`.
        case established(VersionMessage)
        /// An application message for the manager.
        case deliver(PeerMessage)
        /// Close the connection (after the sends before this action); `ban`: ban the address.
        case close(CloseReason, ban: Bool)
    }

    enum State: Sendable {
        case awaitingVersion
        case awaitingVerack(peer: VersionMessage)
        case established(peer: VersionMessage)
        case closed
    }

    enum Expectation: Sendable { case shares, sharehashes }

    public let direction: Direction
    public let local: Local
    public let timings: PeerTimings
    var state: State = .awaitingVersion
    private var handshakeDeadline: NIODeadline?
    private var nextPing: NIODeadline?
    private var pendingPing: (nonce: UInt64, sent: NIODeadline)?
    private var pingCounter: UInt64 = 0
    private var expectations: [(Expectation, NIODeadline)] = []
    /// Misbehaviour points so far (100 = ban).
    public private(set) var score = 0
    /// Round-trip time of the last answered `ping` (nil until one is answered).
    public private(set) var pingTime: TimeAmount?
    public var limits = PeerRateLimits()

    public init(direction: Direction, local: Local, timings: PeerTimings = PeerTimings()) {
        self.direction = direction
        self.local = local
        self.timings = timings
    }

    /// Whether the handshake has completed and the connection is open.
    public var isEstablished: Bool { if case .established = state { return true } else { return false } }
    public var isClosed: Bool { if case .closed = state { return true } else { return false } }
    /// The peer's `version` once received.
    public var peerVersion: VersionMessage? {
        switch state {
        case .awaitingVerack(let p), .established(let p): return p
        default: return nil
        }
    }

    // MARK: Inputs

    /// The connection is up: outbound sides speak first.
    public mutating func start(now: NIODeadline) -> [Action] {
        handshakeDeadline = now + timings.handshakeTimeout
        return direction == .outbound ? [.send(.version(local.version))] : []
    }

    /// A decoded message arrived.
    public mutating func receive(_ message: PeerMessage, now: NIODeadline) -> [Action] {
        switch (state, message) {
        case (.closed, _):
            return []
        case (_, .reject(let r)):
            return close(.rejectedByPeer(r.code, r.reason), ban: false)
        case (.awaitingVersion, .version(let v)):
            return receiveVersion(v)
        case (.awaitingVerack(let peer), .verack(let proof)):
            guard HandshakeProof.verify(proof, peerVersion: peer, ourNonce: local.version.nonce,
                                        ourKey: local.key.publicKey, consensusID: local.consensusID,
                                        passwordKey: local.passwordKey) else {
                let what = local.passwordKey == nil ? "node key \(peer.nodeKey)" : "node key \(peer.nodeKey) and the network password"
                return refuse(.badHandshakeProof, "verack signature does not prove \(what)", ban: true)
            }
            state = .established(peer: peer)
            handshakeDeadline = nil
            nextPing = now + timings.pingInterval
            return [.established(peer)]
        case (.established, .version), (.established, .verack), (.awaitingVerack, .version):
            return misbehave(Self.preHandshakePenalty, "repeated handshake message \(message.command)")
        case (.established, _):
            return receiveEstablished(message, now: now)
        default:
            return misbehave(Self.preHandshakePenalty, "\(message.command) before the handshake completed")
        }
    }

    /// A well-formed frame of a command this node does not know arrived (its payload,
    /// at most `FrameHeader.maxUnknownPayloadSize`, was skipped). Before the handshake it
    /// costs what any other non-`version` message costs; after it, frames beyond the
    /// `unknownCommands` allowance cost like any other rate-limit overrun.
    public mutating func receiveUnknown(_ command: String, now: NIODeadline) -> [Action] {
        switch state {
        case .closed: return []
        case .awaitingVersion, .awaitingVerack:
            return misbehave(Self.preHandshakePenalty, "unknown command \(command) before the handshake completed")
        case .established:
            return limits.unknownCommands.take(1, at: Self.bucketTime(now))
                ? [] : misbehave(Self.rateLimitPenalty, "unknown command \(command) rate limit exceeded")
        }
    }

    /// Points for any message but the expected handshake message before the handshake completes.
    public static let preHandshakePenalty = 20
    /// Points for a message over its token bucket.
    public static let rateLimitPenalty = 10
    /// Points for a `getshares` that names one hash more than once (honest nodes deduplicate).
    public static let duplicateRequestPenalty = 20

    /// Framing or payload decoding failed: the stream is unusable.
    public mutating func frameError(_ error: FrameError) -> [Action] {
        if isClosed { return [] }
        score += error.banScore
        return close(.protocolViolation(error.description), ban: true)
    }

    /// The manager judged something the peer sent (an invalid share, a bad block).
    public mutating func penalize(_ points: Int, reason: String) -> [Action] {
        if isClosed || points <= 0 { return [] }
        return misbehave(points, reason)
    }

    /// The manager wants the connection closed.
    public mutating func disconnect(_ reason: CloseReason, reject: RejectMessage? = nil) -> [Action] {
        if isClosed { return [] }
        let sends: [Action] = reject.map { [.send(.reject($0))] } ?? []
        return sends + close(reason, ban: false)
    }

    /// The transport closed.
    public mutating func closed() { state = .closed }

    /// This node is about to send `message` (requests start a response timer).
    public mutating func sending(_ message: PeerMessage, now: NIODeadline) {
        switch message {
        case .getshares: expectations.append((.shares, now + timings.responseTimeout))
        case .getlocator: expectations.append((.sharehashes, now + timings.responseTimeout))
        default: break
        }
    }

    /// The clock advanced.
    public mutating func tick(now: NIODeadline) -> [Action] {
        switch state {
        case .closed:
            return []
        case .awaitingVersion, .awaitingVerack:
            if let d = handshakeDeadline, now >= d { return close(.timeout("handshake"), ban: false) }
            return []
        case .established:
            if let first = expectations.first, now >= first.1 {
                return close(.timeout("no response to a share request"), ban: false)
            }
            if let p = pendingPing {
                if now >= p.sent + timings.pongTimeout { return close(.timeout("no pong"), ban: false) }
                return []
            }
            if let n = nextPing, now >= n {
                pingCounter &+= 1
                let nonce = pingCounter ^ 0x9e37_79b9_7f4a_7c15
                pendingPing = (nonce, now)
                return [.send(.ping(PingMessage(nonce: nonce)))]
            }
            return []
        }
    }

    // MARK: Steps

    private mutating func receiveVersion(_ v: VersionMessage) -> [Action] {
        if v.nodeKey == local.key.publicKey { return close(.selfConnection, ban: false) }
        if let reject = VersionCheck.refusal(of: v, parameters: local.parameters, consensusID: local.consensusID) {
            return refuse(reject.code, reject.reason, ban: false)
        }
        var out: [Action] = direction == .inbound ? [.send(.version(local.version))] : []
        out.append(.send(.verack(HandshakeProof.verack(answering: v, key: local.key, consensusID: local.consensusID,
                                                       passwordKey: local.passwordKey))))
        state = .awaitingVerack(peer: v)
        return out
    }

    private mutating func receiveEstablished(_ message: PeerMessage, now: NIODeadline) -> [Action] {
        switch message {
        case .ping(let p):
            guard limits.pings.take(1, at: Self.bucketTime(now)) else { return misbehave(Self.rateLimitPenalty, "ping rate limit exceeded") }
            return [.send(.pong(PongMessage(nonce: p.nonce)))]
        case .pong(let p):
            guard let pending = pendingPing, pending.nonce == p.nonce else { return misbehave(5, "unexpected pong") }
            pendingPing = nil
            pingTime = now - pending.sent
            nextPing = now + timings.pingInterval
            return []
        case .shares(let m):
            fulfil(.shares)
            return limited(\.shares, m.shares.count, message, now: now)
        case .sharehashes:
            fulfil(.sharehashes)
            return [.deliver(message)]
        case .inv(let m):
            return limited(\.inv, m.hashes.count, message, now: now)
        case .getshares(let m):
            // Answered one share per requested hash: a hash named twice would be sent twice
            // (500 copies of one share for a 16 kB request). Deliver each hash once, and
            // charge the request, since an honest node never repeats one.
            var seen = Set<ShareHash>()
            let unique = m.hashes.filter { seen.insert($0).inserted }
            guard unique.count < m.hashes.count else { return limited(\.getshares, m.hashes.count, message, now: now) }
            let dropped = m.hashes.count - unique.count
            let penalty = misbehave(Self.duplicateRequestPenalty, "getshares names \(dropped) hashes more than once")
            if isClosed { return penalty }
            return limited(\.getshares, m.hashes.count, .getshares(GetSharesMessage(hashes: unique)), now: now)
        case .getlocator, .getroot:
            return limited(\.getlocator, 1, message, now: now)
        case .root:
            return limited(\.getlocator, 1, message, now: now)
        case .addr(let m):
            return limited(\.addr, m.addresses.count, message, now: now)
        case .getaddr:
            return limited(\.addr, 1, message, now: now)
        case .block:
            // Blocks carry their own proof of work and bitcoind judges them; past the
            // limit they are dropped, not punished (a burst of real blocks on a fast
            // test chain must not split the network).
            return limits.blocks.take(1, at: Self.bucketTime(now)) ? [.deliver(message)] : []
        case .version, .verack, .reject:
            return []  // handled in receive(_:now:)
        }
    }

    private mutating func limited(_ bucket: WritableKeyPath<PeerRateLimits, TokenBucket>, _ cost: Int,
                                  _ message: PeerMessage, now: NIODeadline) -> [Action] {
        limits[keyPath: bucket].take(Int64(cost), at: Self.bucketTime(now))
            ? [.deliver(message)] : misbehave(Self.rateLimitPenalty, "\(message.command) rate limit exceeded")
    }

    /// A deadline as the rate limits' clock: time since the uptime clock's origin.
    static func bucketTime(_ now: NIODeadline) -> Duration {
        .nanoseconds(Int64(clamping: now.uptimeNanoseconds))
    }

    private mutating func fulfil(_ kind: Expectation) {
        if let i = expectations.firstIndex(where: { $0.0 == kind }) { expectations.remove(at: i) }
    }

    private mutating func misbehave(_ points: Int, _ reason: String) -> [Action] {
        score += points
        guard score >= 100 else { return [] }
        return close(.misbehaviour(reason), ban: true)
    }

    private mutating func refuse(_ code: RejectMessage.Code, _ reason: String, ban: Bool) -> [Action] {
        if ban { score = max(score, 100) }
        return [.send(.reject(RejectMessage(code: code, reason: reason)))] + close(.refused(code, reason), ban: ban)
    }

    private mutating func close(_ reason: CloseReason, ban: Bool) -> [Action] {
        state = .closed
        return [.close(reason, ban: ban)]
    }
}
