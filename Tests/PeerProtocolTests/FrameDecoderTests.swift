import BitcoinPrimitives
import PeerProtocol
import Testing

@Suite("PeerProtocol: FrameDecoder")
struct FrameDecoderTests {
    let messages: [PeerMessage] = [
        .ping(PingMessage(nonce: 7)), .getaddr, .inv(InvMessage(hashes: [hash(1), hash(2)])),
        .reject(RejectMessage(code: .other, reason: "x")),
    ]

    @Test("frames fed one byte at a time come out whole and in order")
    func byteByByte() throws {
        var decoder = FrameDecoder(magic: devnetMagic)
        var out: [PeerMessage] = []
        for byte in messages.flatMap({ $0.frame(magic: devnetMagic) }) {
            decoder.feed([byte])
            while let frame = try decoder.next() { if let m = try PeerMessage(frame: frame) { out.append(m) } }
        }
        #expect(out == messages)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func badMagic() {
        var decoder = FrameDecoder(magic: NetworkMagic(network: .mainnet))
        decoder.feed(PeerMessage.getaddr.frame(magic: devnetMagic))
        #expect(throws: FrameError.badMagic([0x74, 0x69, 0x64, 5])) { try decoder.next() }
        #expect(throws: FrameError.self) { try decoder.next() }  // poisoned
    }

    @Test("oversized announcements fail on the header, before the payload")
    func oversized() {
        var decoder = FrameDecoder(magic: devnetMagic)
        decoder.feed(devnetMagic.bytes + Command.ping.wireBytes + [9, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: FrameError.oversized(command: "ping", length: 9, limit: 8)) { try decoder.next() }
        var unknown = FrameDecoder(magic: devnetMagic)
        unknown.feed(devnetMagic.bytes + Array("futurecmd".utf8) + [0, 0, 0] + [0, 0, 0x50, 0] + [0, 0, 0, 0])
        #expect(throws: FrameError.self) { try unknown.next() }
    }

    @Test("an unknown command announcing more than 1 KiB is refused at its header, before any payload byte")
    func unknownCommandCap() throws {
        let name = Array("futurecmd".utf8) + [0, 0, 0]
        func header(_ length: Int) -> [UInt8] {
            devnetMagic.bytes + name + [UInt8(length & 0xff), UInt8(length >> 8 & 0xff), UInt8(length >> 16 & 0xff), 0]
                + FrameHeader.checksum(of: [UInt8](repeating: 0, count: length))
        }
        // The attack of issue 11: 4 MiB frames of an unknown command were buffered and checksummed.
        var flood = FrameDecoder(magic: devnetMagic)
        flood.feed(header(FrameHeader.maxPayloadSize))
        #expect(throws: FrameError.oversized(command: "futurecmd", length: FrameHeader.maxPayloadSize,
                                             limit: FrameHeader.maxUnknownPayloadSize)) { try flood.next() }
        var justOver = FrameDecoder(magic: devnetMagic)
        justOver.feed(header(FrameHeader.maxUnknownPayloadSize + 1))
        #expect(throws: FrameError.self) { try justOver.next() }
        // At the cap the frame is still skipped, as forward compatibility requires.
        var atCap = FrameDecoder(magic: devnetMagic)
        atCap.feed(header(FrameHeader.maxUnknownPayloadSize) + [UInt8](repeating: 0, count: FrameHeader.maxUnknownPayloadSize))
        let frame = try #require(try atCap.next())
        #expect(frame.header.command == nil && frame.payload.count == FrameHeader.maxUnknownPayloadSize)
    }

    @Test func badChecksum() {
        var frame = PeerMessage.ping(PingMessage(nonce: 7)).frame(magic: devnetMagic)
        frame[frame.count - 1] ^= 1
        var decoder = FrameDecoder(magic: devnetMagic)
        decoder.feed(frame)
        #expect(throws: FrameError.badChecksum) { try decoder.next() }
    }

    @Test("unknown commands are skipped; malformed command fields are violations")
    func commands() throws {
        var decoder = FrameDecoder(magic: devnetMagic)
        decoder.feed(devnetMagic.bytes + Array("futurecmd".utf8) + [0, 0, 0] + [0, 0, 0, 0] + FrameHeader.checksum(of: []))
        let frame = try #require(try decoder.next())
        #expect(frame.header.command == nil && frame.header.commandName == "futurecmd")
        #expect(try PeerMessage(frame: frame) == nil)
        var bad = FrameDecoder(magic: devnetMagic)
        bad.feed(devnetMagic.bytes + Array("pi\0ng".utf8) + [0, 0, 0, 0, 0, 0, 0] + [0, 0, 0, 0] + [0, 0, 0, 0])
        #expect(throws: FrameError.malformedCommand) { try bad.next() }
    }

    @Test func everyCommandFitsTwelveBytesAndTheGlobalCap() {
        for c in Command.allCases {
            #expect(c.wireBytes.count == 12)
            #expect(c.maxPayloadSize <= FrameHeader.maxPayloadSize)
        }
    }
}
