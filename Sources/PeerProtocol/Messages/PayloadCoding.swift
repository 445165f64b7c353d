import BitcoinPrimitives
import Sharechain

/// Shared pieces of payload encoding: bounded hash lists and bounded UTF-8 strings.
extension ByteWriter {
    /// A bounded list: the CompactSize count, then each element.
    mutating func writeList<Element>(_ elements: [Element], _ encode: (Element, inout ByteWriter) -> Void) {
        writeCompactSize(UInt64(elements.count))
        for e in elements { encode(e, &self) }
    }

    mutating func writeShareHashes(_ hashes: [ShareHash]) {
        writeList(hashes) { h, w in w.write(h.rawHash) }
    }

    mutating func writeString(_ s: String) { writeVarBytes(Array(s.utf8)) }
}

extension ByteReader {
    /// A bounded list: a CompactSize count of at most `limit`, then that many elements;
    /// with `maxElementSize`, an element encoded in more bytes is refused.
    mutating func readList<Element>(
        limit: Int, maxElementSize: Int? = nil, element name: String = "element",
        _ decode: (inout ByteReader) throws(ConsensusDecodingError) -> Element
    ) throws(ConsensusDecodingError) -> [Element] {
        let n = try readCompactSize(limit: limit)
        var out: [Element] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            let start = offset
            let element = try decode(&self)
            if let maxElementSize, offset - start > maxElementSize {
                throw .invalidValue(offset: start, reason: "\(name) exceeds \(maxElementSize) bytes")
            }
            out.append(element)
        }
        return out
    }

    mutating func readShareHashes(limit: Int) throws(ConsensusDecodingError) -> [ShareHash] {
        try readList(limit: limit) { r throws(ConsensusDecodingError) in ShareHash(rawHash: try r.readHash256()) }
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

/// A message that is one bounded list of share hashes (`inv`, `sharehashes`, `getshares`).
///
/// Layout: `count compact(≤ maxCount) | hash [32] × count`
public protocol ShareHashListPayload: PeerPayload {
    /// The most hashes one message may carry.
    static var maxCount: Int { get }
    /// The hashes, in order.
    var hashes: [ShareHash] { get }
    /// Wraps at most `maxCount` hashes.
    init(hashes: [ShareHash])
}

extension ShareHashListPayload {
    /// Encoded size of a message with `maxCount` hashes.
    public static var maxEncodedSize: Int { hashListSize(maxCount) }

    public func encode(to w: inout ByteWriter) { w.writeShareHashes(hashes) }

    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        self.init(hashes: try r.readShareHashes(limit: Self.maxCount))
    }
}
