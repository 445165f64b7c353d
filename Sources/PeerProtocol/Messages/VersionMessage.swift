import BitcoinPrimitives
import Ed25519
import Sharechain

/// The first message each side sends: who it is, which sharechain it follows
/// and how far along it is.
///
/// Layout: `protocol_version u32 | consensus_id [32] | best_tip [32] |
///  best_height u32 | chain_work [32] (UInt256 LE) | listen_port u16 |
///  user_agent varstr(≤ 256) | node_key [32] | nonce [32]`
public struct VersionMessage: Sendable, Equatable {
    /// 2: the handshake proof binds the private-network password (`HandshakeProof`, v2 label).
    public static let currentProtocolVersion: UInt32 = 2
    public static let maxUserAgentLength = 256
    public static let maxEncodedSize = 4 + 32 + 32 + 4 + 32 + 2 + 3 + maxUserAgentLength + 32 + 32

    public var protocolVersion: UInt32
    public var consensusID: ConsensusID
    /// Best tip, `ShareHash.none` for an empty chain.
    public var bestTip: ShareHash
    public var bestHeight: UInt32
    /// Cumulative share work of the best chain (zero for an empty chain).
    public var chainWork: UInt256
    /// Port the sender accepts connections on, 0 if none.
    public var listenPort: UInt16
    public var userAgent: String
    /// The sender's Ed25519 node key; proven in `verack`.
    public var nodeKey: PublicKey
    /// Fresh random bytes the other side must sign in its `verack`.
    public var nonce: [UInt8]

    public init(protocolVersion: UInt32 = currentProtocolVersion, consensusID: ConsensusID, bestTip: ShareHash,
                bestHeight: UInt32, chainWork: UInt256, listenPort: UInt16, userAgent: String,
                nodeKey: PublicKey, nonce: [UInt8]) {
        precondition(nonce.count == 32, "nonce is 32 bytes")
        self.protocolVersion = protocolVersion
        self.consensusID = consensusID
        self.bestTip = bestTip
        self.bestHeight = bestHeight
        self.chainWork = chainWork
        self.listenPort = listenPort
        self.userAgent = String(decoding: Array(userAgent.utf8.prefix(Self.maxUserAgentLength)), as: UTF8.self)
        self.nodeKey = nodeKey
        self.nonce = nonce
    }
}

extension VersionMessage: PeerPayload {
    public static let command = Command.version

    public func encode(to w: inout ByteWriter) {
        w.writeLittleEndian(protocolVersion)
        w.write(consensusID.rawHash)
        w.write(bestTip.rawHash)
        w.writeLittleEndian(bestHeight)
        w.write(chainWork.littleEndianBytes)
        w.writeLittleEndian(listenPort)
        w.writeString(userAgent)
        nodeKey.withUnsafeBytes { w.write($0) }
        w.write(nonce)
    }

    public init(from r: inout ByteReader) throws(ConsensusDecodingError) {
        protocolVersion = try r.readLittleEndian()
        consensusID = ConsensusID(rawHash: try r.readHash256())
        bestTip = ShareHash(rawHash: try r.readHash256())
        bestHeight = try r.readLittleEndian()
        chainWork = UInt256(littleEndianBytes: try r.readBytes(32))
        listenPort = try r.readLittleEndian()
        userAgent = try r.readString(maxLength: Self.maxUserAgentLength)
        nodeKey = PublicKey(rawRepresentation: try r.readBytes(32))!
        nonce = try r.readBytes(32)
    }
}
