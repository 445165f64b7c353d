import BitcoinPrimitives
import Ed25519
import NIOCore
import PeerNetwork
import PeerProtocol
import Sharechain
import Testing

@Suite("PeerNetwork: PeerStateMachine timeouts, pings, limits")
struct StateMachineTests {
    let keyA = SigningKey(rawRepresentation: [UInt8](repeating: 1, count: 32))!
    let keyB = SigningKey(rawRepresentation: [UInt8](repeating: 2, count: 32))!
    let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)

    /// Runs the handshake between two machines directly.
    func established() -> (PeerStateMachine, PeerStateMachine) {
        var a = machine(.outbound, key: keyA), b = machine(.inbound, key: keyB)
        var toB = a.start(now: t0), toA = b.start(now: t0)
        for _ in 0..<4 {
            var next: [PeerStateMachine.Action] = []
            for case .send(let m) in toB { next += b.receive(m, now: t0) }
            toB = []
            for case .send(let m) in toA { toB += a.receive(m, now: t0) }
            toA = next
        }
        return (a, b)
    }

    @Test func handshakeTimesOut() {
        var a = machine(.outbound, key: keyA)
        _ = a.start(now: t0)
        #expect(a.tick(now: t0 + .seconds(9)).isEmpty)
        #expect(a.tick(now: t0 + .seconds(10)) == [.close(.timeout("handshake"), ban: false)])
    }

    @Test func pingScheduleAndPongTimeout() throws {
        var (a, _) = established()
        #expect(a.isEstablished)
        #expect(a.tick(now: t0 + .seconds(29)).isEmpty)
        let actions = a.tick(now: t0 + .seconds(30))
        guard case .send(.ping(let ping))? = actions.first else { Issue.record("no ping: \(actions)"); return }
        #expect(a.receive(.pong(PongMessage(nonce: ping.nonce)), now: t0 + .seconds(31)).isEmpty)
        #expect(a.pingTime == .seconds(1))
        guard case .send(.ping)? = a.tick(now: t0 + .seconds(61)).first else { Issue.record("no second ping"); return }
        #expect(a.tick(now: t0 + .seconds(82)) == [.close(.timeout("no pong"), ban: false)])
    }

    @Test("an unanswered getshares is a stall")
    func stall() {
        var (a, _) = established()
        a.sending(.getshares(GetSharesMessage(hashes: [])), now: t0)
        #expect(a.tick(now: t0 + .seconds(29)).isEmpty)
        #expect(a.tick(now: t0 + .seconds(31)) == [.close(.timeout("no response to a share request"), ban: false)])
        var (b, _) = established()
        b.sending(.getshares(GetSharesMessage(hashes: [])), now: t0)
        _ = b.receive(.shares(SharesMessage(shares: [])), now: t0 + .seconds(1))
        #expect(!b.tick(now: t0 + .seconds(31)).contains { if case .close = $0 { true } else { false } })
    }

    @Test("flooding inv past the token bucket ends in a ban")
    func rateLimit() {
        var (_, b) = established()
        let inv = PeerMessage.inv(InvMessage(hashes: [ShareHash](repeating: .none, count: 2000)))
        #expect(b.receive(inv, now: t0) == [.deliver(inv)])
        #expect(b.receive(inv, now: t0) == [.deliver(inv)])
        var last: [PeerStateMachine.Action] = []
        for _ in 0..<10 { last = b.receive(inv, now: t0); if b.isClosed { break } }
        #expect(b.isClosed)
        if case .close(_, let ban)? = last.last { #expect(ban) } else { Issue.record("\(last)") }
    }

    /// An honest sync faster than the old 20,000/s limit (two cores validate ~25,000/s with
    /// signatures checked ahead) must never have a request or an answer dropped: a dropped
    /// `getshares` stalled the sync until the 30 s response timeout.
    @Test("a sync at 40,000 shares/s in batches of 250 is never rate limited")
    func honestFastSyncNotLimited() {
        var (_, b) = established()
        let hashes = (0..<250).map { ShareHash(rawHash: SHA256d.hash([UInt8($0 & 0xff), UInt8($0 >> 8)])) }
        let request = PeerMessage.getshares(GetSharesMessage(hashes: hashes))
        // 160 requests of 250 hashes over one second: one every 6.25 ms.
        for k in 0..<160 {
            let now = t0 + .microseconds(Int64(k) * 6_250)
            #expect(b.receive(request, now: now) == [.deliver(request)], "request \(k)")
        }
        #expect(b.score == 0 && !b.isClosed)
    }

    /// The same sync's locator rounds: one `getlocator` per 2,000 hashes. At the shares
    /// refill (60,000/s) that is 30 a second, for as long as the sync lasts; at the old 10/s
    /// a 40,000 shares/s sync had its 23rd locator dropped and stalled for the 30 s timeout.
    @Test("a sync at 60,000 shares/s asks a locator 30 times a second and is never rate limited")
    func honestFastLocatorRoundsNotLimited() {
        var (_, b) = established()
        let locator = PeerMessage.getlocator(GetShareLocatorMessage(locator: [ShareHash(rawHash: SHA256d.hash([1]))]))
        // 20 seconds of rounds, one every 1/30 s.
        for k in 0..<600 {
            let now = t0 + .microseconds(Int64(k) * 33_334)
            #expect(b.receive(locator, now: now) == [.deliver(locator)], "locator \(k)")
        }
        #expect(b.score == 0 && !b.isClosed)
    }

    @Test("a getshares naming one hash 500 times is delivered with the hash once and costs 20 points")
    func duplicateGetShares() {
        var (_, b) = established()
        let h = ShareHash(rawHash: SHA256d.hash([7]))
        let flood = PeerMessage.getshares(GetSharesMessage(hashes: [ShareHash](repeating: h, count: 500)))
        #expect(b.receive(flood, now: t0) == [.deliver(.getshares(GetSharesMessage(hashes: [h])))])
        #expect(b.score == PeerStateMachine.duplicateRequestPenalty)
        let distinct = PeerMessage.getshares(GetSharesMessage(hashes: [h, ShareHash(rawHash: SHA256d.hash([8]))]))
        #expect(b.receive(distinct, now: t0) == [.deliver(distinct)])
        #expect(b.score == PeerStateMachine.duplicateRequestPenalty)
        for _ in 0..<4 { _ = b.receive(flood, now: t0) }
        #expect(b.isClosed)
    }

    @Test("a ping flood is answered within the allowance, then scored to a ban")
    func pingFlood() {
        var (_, b) = established()
        var pongs = 0
        for i in 0..<100 where !b.isClosed {
            if b.receive(.ping(PingMessage(nonce: UInt64(i))), now: t0) == [.send(.pong(PongMessage(nonce: UInt64(i))))] {
                pongs += 1
            }
        }
        #expect(pongs == Int(PeerRateLimits().pings.capacity))
        #expect(b.isClosed)
    }

    @Test("a burst of relayed blocks past the bucket is dropped, not punished")
    func blockBurst() {
        var (_, b) = established()
        let block = PeerMessage.block(BlockMessage(bytes: [0x01, 0x02]))
        var delivered = 0
        for _ in 0..<200 {
            let actions = b.receive(block, now: t0)
            if actions == [.deliver(block)] { delivered += 1 } else { #expect(actions.isEmpty) }
        }
        #expect(delivered == 50)
        #expect(!b.isClosed && b.score == 0)
    }

    @Test("penalties accumulate to a ban; application messages before the handshake cost points")
    func penalties() {
        var (a, _) = established()
        #expect(a.penalize(20, reason: "x").isEmpty)
        #expect(a.penalize(80, reason: "y") == [.close(.misbehaviour("y"), ban: true)])
        var fresh = machine(.inbound, key: keyA)
        _ = fresh.start(now: t0)
        #expect(fresh.receive(.getaddr, now: t0).isEmpty)
        #expect(fresh.score == 20)
    }

    @Test("connecting to ourselves is detected")
    func selfConnection() {
        var a = machine(.inbound, key: keyA)
        let me = machine(.outbound, key: keyA)
        _ = a.start(now: t0)
        #expect(a.receive(.version(me.local.version), now: t0) == [.close(.selfConnection, ban: false)])
    }
}
