import Testing
@testable import BitcoinPrimitives

@Suite struct ByteCodingTests {
    /// CompactSize encodings at every size boundary.
    static let boundaries: [(UInt64, String)] = [
        (0, "00"), (0xfc, "fc"), (0xfd, "fdfd00"), (0xffff, "fdffff"),
        (0x1_0000, "fe00000100"), (0xffff_ffff, "feffffffff"),
        (0x1_0000_0000, "ff0000000001000000"), (.max, "ffffffffffffffffff"),
    ]

    @Test func compactSizeBoundaries() throws {
        for (value, hex) in Self.boundaries {
            var w = ByteWriter()
            w.writeCompactSize(value)
            #expect(Hex.encode(w.bytes) == hex, "\(value)")
            #expect(compactSizeLength(value) == hex.count / 2)
            var r = ByteReader(bytes(hex))
            if value <= UInt64(Int.max) {
                #expect(try r.readCompactSize(limit: .max) == Int(value))
                #expect(r.isAtEnd)
            }
        }
    }

    @Test("FixedBufferWriter writes what ByteWriter writes: CompactSize boundaries, integers, hashes, bytes, text")
    func fixedBufferWriterMatchesByteWriter() {
        let hash = Hash256(littleEndianWords: 0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908, 1, .max)
        for (value, hex) in Self.boundaries {
            var expected = ByteWriter()
            expected.writeLittleEndian(UInt32(0xdead_beef))
            expected.writeCompactSize(value)
            expected.write(hash)
            expected.write([1, 2, 3] as [UInt8])
            expected.write(Array("tag".utf8))
            let written = withUnsafeTemporaryAllocation(byteCount: expected.bytes.count, alignment: 8) { raw in
                var w = FixedBufferWriter(raw)
                w.writeLittleEndian(UInt32(0xdead_beef))
                w.writeCompactSize(value)
                w.write(hash)
                ([1, 2, 3] as [UInt8]).withUnsafeBytes { w.write($0) }
                w.write("tag")
                #expect(w.offset == raw.count, "\(hex)")
                return Array(UnsafeRawBufferPointer(raw))
            }
            #expect(written == expected.bytes, "\(hex)")
        }
    }

    @Test func nonCanonicalCompactSizeRejected() {
        for hex in ["fd0000", "fdfc00", "fe00000000", "feffff0000", "ff0000000000000000", "ffffffffff00000000"] {
            var r = ByteReader(bytes(hex))
            #expect(throws: ConsensusDecodingError.nonCanonicalCompactSize(offset: 0), "\(hex)") {
                try r.readCompactSize(limit: .max)
            }
        }
    }

    @Test func compactSizeLimit() {
        var r = ByteReader(bytes("fd0001"))
        #expect(throws: ConsensusDecodingError.lengthExceedsLimit(offset: 0, length: 256, limit: 255)) {
            try r.readCompactSize(limit: 255)
        }
    }

    /// A huge length prefix fails on the limit before anything is allocated.
    @Test func oversizedVarBytesRejected() {
        var r = ByteReader(bytes("ffffffffffffffff7f00"))
        #expect(throws: ConsensusDecodingError.lengthExceedsLimit(offset: 0, length: 0x7fff_ffff_ffff_ffff, limit: 1000)) {
            try r.readVarBytes(maxLength: 1000)
        }
        var t = ByteReader(bytes("0a0102"))
        #expect(throws: ConsensusDecodingError.truncated(offset: 0, needed: 8)) { try t.readVarBytes(maxLength: 100) }
    }

    @Test func fixedWidthIntegers() throws {
        var w = ByteWriter()
        w.writeLittleEndian(UInt32(0x0102_0304))
        w.writeBigEndian(UInt16(0x0506))
        w.writeLittleEndian(Int64(-2))
        #expect(Hex.encode(w.bytes) == "040302010506feffffffffffffff")
        var r = ByteReader(w.bytes)
        #expect(try r.readLittleEndian(UInt32.self) == 0x0102_0304)
        #expect(try r.readBigEndian(UInt16.self) == 0x0506)
        #expect(try r.readLittleEndian(Int64.self) == -2)
        #expect(throws: ConsensusDecodingError.truncated(offset: 14, needed: 1)) { try r.readUInt8() }
    }

    @Test func trailingBytesRejected() {
        #expect(throws: ConsensusDecodingError.trailingBytes(count: 1)) {
            try OutPoint(serialized: [UInt8](repeating: 0, count: 37))
        }
    }
}
