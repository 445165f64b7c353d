import BitcoinPrimitives
import Sharechain

/// Shared pieces of payload encoding: bounded hash lists and bounded UTF-8 strings.
extension ByteWriter {
    mutating func writeShareHashes(_ hashes: [ShareHash]) {
        writeCompactSize(UInt64(hashes.count))
        for h in hashes { write(h.rawHash) }
    }

    mutating func writeString(_ s: String) { writeVarBytes(Array(s.utf8)) }
}

extension ByteReader {
    mutating func readShareHashes(limit: Int) throws(ConsensusDecodingError) -> [ShareHash] {
        let n = try readCompactSize(limit: limit)
        var out: [ShareHash] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(ShareHash(rawHash: try readHash256())) }
        return out
    }

    mutating func readString(maxLength: Int) throws(ConsensusDecodingError) -> String {
        let start = offset
        let bytes = try readVarBytes(maxLength: maxLength)
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw .invalidValue(offset: start, reason: "string is not UTF-8")
        }
        return s
    }
}

/// Encoded size of a hash list of `count` entries.
func hashListSize(_ count: Int) -> Int { compactSizeLength(UInt64(count)) + 32 * count }
