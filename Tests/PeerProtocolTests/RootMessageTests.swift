import BitcoinPrimitives
import PeerProtocol
import Sharechain
import Testing

/// `getroot` / `root` (sync from pruned peers): byte vectors computed independently
/// (Python hashlib for the frame checksums), and bounded decoding.
@Suite("PeerProtocol: getroot and root")
struct RootMessageTests {
    static let root = ChainRoot(height: 0x0102_0304, hash: hash(0xab), anchorTimestamp: 1_700_000_000,
                                baseChainWork: UInt256(1) << 40)
    static let rootHex = "04030201" + String(repeating: "ab", count: 32) + "00f1536500000000"
        + "0000000000010000" + String(repeating: "00", count: 24)

    @Test func getrootFrame() throws {
        let m = PeerMessage.getroot(GetRootMessage())
        #expect(Hex.encode(m.frame(magic: devnetMagic)) == "74696405676574726f6f740000000000000000005df6e0e2")
        #expect(try PeerMessage(command: .getroot, payload: []) == m)
        #expect(throws: FrameError.self) { try PeerMessage(command: .getroot, payload: [0]) }
    }

    @Test func rootFrames() throws {
        let m = PeerMessage.root(RootMessage(root: Self.root))
        #expect(Hex.encode(m.payload) == "01" + Self.rootHex)
        #expect(Hex.encode(m.frame(magic: devnetMagic))
            == "74696405726f6f7400000000000000004d00000017bb37c401" + Self.rootHex)
        #expect(try PeerMessage(command: .root, payload: m.payload) == m)
        let none = PeerMessage.root(RootMessage(root: nil))
        #expect(Hex.encode(none.frame(magic: devnetMagic)) == "74696405726f6f740000000000000000010000001406e05800")
        #expect(try PeerMessage(command: .root, payload: [0]) == none)
    }

    @Test func rootDecodingIsBounded() {
        #expect(Command.root.maxPayloadSize == 77 && Command.getroot.maxPayloadSize == 0)
        #expect(throws: FrameError.self) { try PeerMessage(command: .root, payload: [2]) }
        #expect(throws: FrameError.self) { try PeerMessage(command: .root, payload: [1] + [UInt8](repeating: 0, count: 75)) }
        #expect(throws: FrameError.self) { try PeerMessage(command: .root, payload: [0, 0]) }
        #expect(throws: FrameError.self) { try PeerMessage(command: .root, payload: []) }
    }
}
