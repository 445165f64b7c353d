/// A value with one canonical consensus byte encoding.
public protocol ConsensusEncodable {
    /// Appends the encoding to `writer`.
    func encode(to writer: inout ByteWriter)
    /// Bytes to reserve before encoding (`serialized`): the encoded size or a little more, so
    /// the buffer is allocated once instead of growing from empty. Default 64.
    var encodedSizeHint: Int { get }
}

/// A value that can be decoded from its consensus bytes, failing cleanly on bad input.
public protocol ConsensusDecodable {
    /// Reads one value, leaving the reader after it.
    init(from reader: inout ByteReader) throws(ConsensusDecodingError)
}

/// Both directions.
public typealias ConsensusCodable = ConsensusEncodable & ConsensusDecodable

extension ConsensusEncodable {
    public var encodedSizeHint: Int { 64 }

    /// The consensus encoding as a byte array.
    public var serialized: [UInt8] {
        var w = ByteWriter(capacity: encodedSizeHint)
        encode(to: &w)
        return w.bytes
    }
}

extension ConsensusDecodable {
    /// Decodes a value that must span all of `bytes` (no trailing bytes).
    public init(serialized bytes: [UInt8]) throws(ConsensusDecodingError) {
        var reader = ByteReader(bytes)
        self = try Self(from: &reader)
        if !reader.isAtEnd { throw .trailingBytes(count: reader.remaining) }
    }
}
