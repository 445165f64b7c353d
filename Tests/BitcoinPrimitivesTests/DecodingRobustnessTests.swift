import Testing
@testable import BitcoinPrimitives

/// Hostile-input behaviour: truncations, huge prefixes, bad CompactSizes.
@Suite struct DecodingRobustnessTests {
    /// Every vector, with the type that decodes it.
    static func allVectors() throws -> [(String, [UInt8], (([UInt8]) throws(ConsensusDecodingError) -> [UInt8]))] {
        let headers: HeaderVectors = try Vectors.load("headers")
        let txs: TransactionVectors = try Vectors.load("transactions")
        var out: [(String, [UInt8], (([UInt8]) throws(ConsensusDecodingError) -> [UInt8]))] = []
        let tx: ([UInt8]) throws(ConsensusDecodingError) -> [UInt8] = { b throws(ConsensusDecodingError) in try Transaction(serialized: b).serialized }
        let header: ([UInt8]) throws(ConsensusDecodingError) -> [UInt8] = { b throws(ConsensusDecodingError) in try BlockHeader(serialized: b).serialized }
        let block: ([UInt8]) throws(ConsensusDecodingError) -> [UInt8] = { b throws(ConsensusDecodingError) in try Block(serialized: b).serialized }
        for t in txs.transactions { out.append((t.name, bytes(t.hex), tx)) }
        out.append(("genesis header", bytes(headers.genesis.hex), header))
        out.append(("block 100000 header", bytes(headers.block100000.hex), header))
        out.append(("genesis block", bytes(headers.genesis.block ?? ""), block))
        return out
    }

    @Test func roundTripEveryVector() throws {
        for (name, raw, decode) in try Self.allVectors() {
            #expect(try decode(raw) == raw, "\(name)")
        }
    }

    /// Every proper prefix of every vector fails with a decoding error, never a crash or
    /// a success.
    @Test func everyTruncationFails() throws {
        for (name, raw, decode) in try Self.allVectors() {
            for length in 0..<raw.count {
                do {
                    _ = try decode(Array(raw[0..<length]))
                    Issue.record("\(name) truncated to \(length) bytes decoded")
                } catch {
                    // The typed throw guarantees a ConsensusDecodingError.
                    _ = error
                }
            }
        }
    }

    /// Appending a byte leaves trailing data.
    @Test func trailingByteFails() throws {
        for (name, raw, decode) in try Self.allVectors() {
            #expect(throws: ConsensusDecodingError.trailingBytes(count: 1), "\(name)") { try decode(raw + [0]) }
        }
    }

    /// Count and length prefixes far beyond the input are rejected on the prefix
    /// itself (lengthExceedsLimit), before any allocation sized by them.
    @Test func oversizedPrefixesRejected() {
        let version = "01000000"
        // Input count 2^32-1.
        #expect(throws: ConsensusDecodingError.lengthExceedsLimit(offset: 4, length: 0xffff_ffff, limit: 0)) {
            try Transaction(serialized: bytes(version + "feffffffff"))
        }
        // Input count 2^63 with plenty of following bytes: still bounded by what is left.
        let filler = String(repeating: "00", count: 100)
        #expect(throws: ConsensusDecodingError.self) {
            try Transaction(serialized: bytes(version + "ff0000000000000080" + filler))
        }
        // A scriptSig length of 2^32-1.
        let input = "01" + String(repeating: "22", count: 32) + "00000000" + "feffffffff"
        do {
            _ = try Transaction(serialized: bytes(version + input + filler))
            Issue.record("decoded")
        } catch {
            guard case .lengthExceedsLimit(let offset, let length, let limit) = error else {
                Issue.record("unexpected \(error)"); return
            }
            #expect(offset == 41 && length == 0xffff_ffff && limit < 200)
        }
        // Output count 2^32-1 after one input.
        let oneInput = "01" + String(repeating: "22", count: 32) + "00000000" + "00" + "ffffffff"
        #expect(throws: ConsensusDecodingError.self) {
            try Transaction(serialized: bytes(version + oneInput + "feffffffff" + filler))
        }
        // Witness item count 2^32-1.
        let segwit = version + "0001" + oneInput + "00" + "feffffffff" + filler
        #expect(throws: ConsensusDecodingError.self) { try Transaction(serialized: bytes(segwit)) }
        // A block claiming 2^32-1 transactions.
        let header = String(repeating: "00", count: 80)
        #expect(throws: ConsensusDecodingError.lengthExceedsLimit(offset: 80, length: 0xffff_ffff, limit: 0)) {
            try Block(serialized: bytes(header + "feffffffff"))
        }
    }

    @Test func nonCanonicalCountsRejected() {
        // Input count 1 written as fd0100.
        let tx = "01000000" + "fd0100" + String(repeating: "00", count: 60)
        #expect(throws: ConsensusDecodingError.nonCanonicalCompactSize(offset: 4)) { try Transaction(serialized: bytes(tx)) }
        // Transaction count 1 written as fe01000000.
        let block = String(repeating: "00", count: 80) + "fe01000000" + String(repeating: "00", count: 20)
        #expect(throws: ConsensusDecodingError.nonCanonicalCompactSize(offset: 80)) { try Block(serialized: bytes(block)) }
    }

    /// Flipping each byte of a real segwit transaction never crashes the decoder.
    @Test func byteFlipsNeverCrash() throws {
        let txs: TransactionVectors = try Vectors.load("transactions")
        for t in txs.transactions {
            let raw = bytes(t.hex)
            for i in 0..<raw.count {
                for mask: UInt8 in [0x01, 0x80, 0xff] {
                    var m = raw
                    m[i] ^= mask
                    if let tx = try? Transaction(serialized: m) {
                        // Whatever decodes must re-encode to a decodable transaction.
                        #expect((try? Transaction(serialized: tx.serialized)) == tx)
                    }
                }
            }
        }
    }
}
