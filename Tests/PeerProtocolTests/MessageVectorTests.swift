import BitcoinPrimitives
import Ed25519
import PeerProtocol
import Sharechain
import Testing

/// Byte vectors computed independently (Python hashlib for checksums).
@Suite("PeerProtocol: message byte vectors")
struct MessageVectorTests {
    func roundTrip(_ m: PeerMessage, payloadHex: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(Hex.encode(m.payload) == payloadHex, sourceLocation: sourceLocation)
        #expect(try PeerMessage(command: m.command, payload: bytes(payloadHex)) == m, sourceLocation: sourceLocation)
    }

    @Test func version() throws {
        try roundTrip(.version(sampleVersion()), payloadHex:
            "02000000" + String(repeating: "11", count: 32) + String(repeating: "22", count: 32) + "07000000"
            + "0201" + String(repeating: "00", count: 30) + "7524" + "0c74696465706f6f6c2f302e31"
            + String(repeating: "33", count: 32) + String(repeating: "44", count: 32))
    }

    @Test func verack() throws {
        let sig = Signature(rawRepresentation: [UInt8](repeating: 0x55, count: 64))!
        try roundTrip(.verack(VerackMessage(signature: sig)), payloadHex: String(repeating: "55", count: 64))
    }

    @Test func pingFrame() throws {
        let m = PeerMessage.ping(PingMessage(nonce: 0x0102_0304_0506_0708))
        #expect(Hex.encode(m.frame(magic: devnetMagic))
            == "7469640570696e670000000000000000080000003b5a75130807060504030201")
        try roundTrip(m, payloadHex: "0807060504030201")
    }

    @Test func pong() throws {
        try roundTrip(.pong(PongMessage(nonce: 1)), payloadHex: "0100000000000000")
    }

    @Test func getaddrFrame() throws {
        #expect(Hex.encode(PeerMessage.getaddr.frame(magic: devnetMagic))
            == "74696405676574616464720000000000000000005df6e0e2")
        #expect(throws: FrameError.self) { try PeerMessage(command: .getaddr, payload: [0]) }
    }

    @Test func addr() throws {
        let a = PeerAddress(host: "127.0.0.1", port: 9333, lastSeen: 1_700_000_000)
        try roundTrip(.addr(AddrMessage(addresses: [a])), payloadHex: "01093132372e302e302e3175240" + "0f1536500000000")
        #expect(PeerAddress(parsing: "[::1]:8333") == PeerAddress(host: "::1", port: 8333))
        #expect(PeerAddress(parsing: "node.example:1") == PeerAddress(host: "node.example", port: 1))
        #expect(PeerAddress(parsing: "nope") == nil)
    }

    @Test func invFrame() throws {
        let m = PeerMessage.inv(InvMessage(hashes: [hash(0xaa), hash(0xbb)]))
        #expect(Hex.encode(m.frame(magic: devnetMagic)) == "74696405696e7600000000000000000041000000edfd6003"
            + "02" + String(repeating: "aa", count: 32) + String(repeating: "bb", count: 32))
    }

    @Test func getshares() throws {
        try roundTrip(.getshares(GetSharesMessage(hashes: [hash(0xcc)])), payloadHex: "01" + String(repeating: "cc", count: 32))
    }

    @Test func sharehashes() throws {
        try roundTrip(.sharehashes(ShareHashesMessage(hashes: [])), payloadHex: "00")
    }

    @Test func getlocator() throws {
        try roundTrip(.getlocator(GetShareLocatorMessage(locator: [hash(0xaa)], stop: .none)),
                      payloadHex: "01" + String(repeating: "aa", count: 32) + String(repeating: "00", count: 32))
    }

    @Test func shares() throws {
        let share = sampleShare()
        let m = PeerMessage.shares(SharesMessage(shares: [share]))
        #expect(m.payload == [1] + share.serialized)
        #expect(try PeerMessage(command: .shares, payload: m.payload) == m)
    }

    @Test func block() throws {
        let raw = [UInt8](repeating: 1, count: 80) + [0]
        try roundTrip(.block(BlockMessage(bytes: raw)), payloadHex: Hex.encode(raw))
        #expect(throws: FrameError.self) { try PeerMessage(command: .block, payload: [UInt8](repeating: 1, count: 80)) }
    }

    @Test func reject() throws {
        try roundTrip(.reject(RejectMessage(code: .consensusMismatch, reason: "bad")), payloadHex: "0103626164")
    }

    @Test("bounded lists refuse one entry too many")
    func bounds() {
        var w = ByteWriter()
        w.writeCompactSize(UInt64(InvMessage.maxCount + 1))
        #expect(throws: FrameError.self) { try PeerMessage(command: .inv, payload: w.bytes) }
        var u = ByteWriter()
        u.writeCompactSize(300)
        #expect(throws: FrameError.self) { try PeerMessage(command: .reject, payload: [1] + u.bytes) }
    }
}
