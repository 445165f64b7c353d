import BitcoinPrimitives

/// Why a byte stream or a payload was refused. Every case is a protocol
/// violation: the stream cannot be trusted afterwards, so the connection is
/// closed and the sender's ban score raised by `banScore`.
public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame does not start with this network's magic.
    case badMagic([UInt8])
    /// The command field is not printable ASCII followed by NUL padding.
    case malformedCommand
    /// The announced payload exceeds the global cap or the command's cap.
    case oversized(command: String, length: Int, limit: Int)
    /// The payload does not hash to the frame's checksum.
    case badChecksum
    /// A known command whose payload does not decode.
    case malformedPayload(command: String, ConsensusDecodingError)

    /// Ban-score points for the sender (100 = ban).
    public var banScore: Int { 100 }

    public var description: String {
        switch self {
        case .badMagic(let m): return "bad magic \(m.map { String($0, radix: 16) }.joined())"
        case .malformedCommand: return "malformed command field"
        case .oversized(let c, let l, let lim): return "\(c) payload of \(l) bytes exceeds \(lim)"
        case .badChecksum: return "bad checksum"
        case .malformedPayload(let c, let e): return "malformed \(c) payload: \(e)"
        }
    }
}
