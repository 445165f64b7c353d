import BitcoinPrimitives
import PeerProtocol
import Sharechain
import Testing

/// The one bounded-list codec behind `inv`, `sharehashes`, `getshares`, `addr` and `shares`.
@Suite("PeerProtocol: bounded share-hash lists")
struct ListCodingTests {
    func decode<M: ShareHashListPayload>(_: M.Type, _ bytes: [UInt8]) throws -> M {
        var reader = ByteReader(bytes)
        return try M(from: &reader)
    }

    @Test func everyHashListHasTheSameLayoutAndItsOwnBound() throws {
        let hashes = (0..<3).map { ShareHash(rawHash: SHA256d.hash([UInt8($0)])) }
        var w = ByteWriter()
        InvMessage(hashes: hashes).encode(to: &w)
        let bytes = w.bytes
        #expect(bytes.count == 1 + 3 * 32 && bytes[0] == 3)
        #expect(try decode(InvMessage.self, bytes).hashes == hashes)
        #expect(try decode(ShareHashesMessage.self, bytes).hashes == hashes)
        #expect(try decode(GetSharesMessage.self, bytes).hashes == hashes)
        #expect(InvMessage.maxEncodedSize == 3 + 2000 * 32)
        #expect(ShareHashesMessage.maxEncodedSize == 3 + 2000 * 32)
        #expect(GetSharesMessage.maxEncodedSize == 3 + 500 * 32)
        // A count over the message's bound is refused before any hash is read.
        var over = ByteWriter()
        over.writeCompactSize(501)
        #expect(throws: ConsensusDecodingError.self) { try decode(GetSharesMessage.self, over.bytes) }
        over = ByteWriter()
        over.writeCompactSize(2001)
        #expect(throws: ConsensusDecodingError.self) { try decode(InvMessage.self, over.bytes) }
    }
}
