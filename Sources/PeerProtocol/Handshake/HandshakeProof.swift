import BitcoinPrimitives
import Ed25519
import Sharechain

/// The handshake's proof of key ownership and, on a network with a password, of
/// password knowledge. Each side signs, in its `verack`, the nonce the *other* side sent
/// in its `version`, both node keys and the consensus ID:
///
/// `"tidepool/handshake/v2" | peer_nonce [32] | signer_key [32] | peer_key [32] | consensus_id [32] [| password_mac [32]]`
///
/// `password_mac` is present on networks with a password:
/// `HMAC-SHA256(password_key, "tidepool/handshake-password/v2" | peer_nonce | signer_key | peer_key | consensus_id)`
/// with `password_key = HMAC-SHA256("tidepool/p2p-password/v2", password)`. The verifier
/// recomputes it with its own password key, so a signer that does not know the password
/// (only the public consensus ID, which holds a hash of it) produces a signature that
/// does not verify. The MAC itself never travels.
///
/// Fresh nonces make a proof useless on any other connection; binding both keys stops a
/// relay from splicing two handshakes together.
public enum HandshakeProof {
    static let tag = Array("tidepool/handshake/v2".utf8)
    static let passwordTag = Array("tidepool/handshake-password/v2".utf8)
    static let passwordKeyTag = Array("tidepool/p2p-password/v2".utf8)

    /// The key derived from a private network's password (once, when a node starts).
    public static func passwordKey(_ password: String) -> [UInt8] {
        HMACSHA256.authenticate(Array(password.utf8), key: passwordKeyTag)
    }

    /// The password key of `network`, nil when it has no password.
    public static func passwordKey(of network: PrivateNetwork) -> [UInt8]? {
        network.password.map(passwordKey)
    }

    /// The signed bytes.
    public static func message(peerNonce: [UInt8], signer: PublicKey, peer: PublicKey, consensusID: ConsensusID,
                               passwordKey: [UInt8]? = nil) -> [UInt8] {
        let body = peerNonce + signer.rawRepresentation + peer.rawRepresentation + consensusID.rawHash.bytes
        guard let passwordKey else { return tag + body }
        return tag + body + HMACSHA256.authenticate(passwordTag + body, key: passwordKey)
    }

    /// The `verack` answering `peerVersion`, signed by `key`.
    public static func verack(answering peerVersion: VersionMessage, key: SigningKey, consensusID: ConsensusID,
                              passwordKey: [UInt8]? = nil) -> VerackMessage {
        VerackMessage(signature: key.sign(message(peerNonce: peerVersion.nonce, signer: key.publicKey,
                                                  peer: peerVersion.nodeKey, consensusID: consensusID,
                                                  passwordKey: passwordKey)))
    }

    /// Whether `verack` proves that the peer holds the key it announced in
    /// `peerVersion` (and, with `passwordKey`, the network's password), answering our nonce.
    public static func verify(_ verack: VerackMessage, peerVersion: VersionMessage, ourNonce: [UInt8],
                              ourKey: PublicKey, consensusID: ConsensusID, passwordKey: [UInt8]? = nil) -> Bool {
        peerVersion.nodeKey.isValidSignature(
            verack.signature,
            for: message(peerNonce: ourNonce, signer: peerVersion.nodeKey, peer: ourKey, consensusID: consensusID,
                         passwordKey: passwordKey))
    }
}

/// HMAC-SHA256 (RFC 2104) over the SHA-256 of BitcoinPrimitives.
public enum HMACSHA256 {
    /// The 32-byte MAC of `message` under `key`.
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        let blockSize = 64
        var k = key.count > blockSize ? SingleSHA256.hash(key) : key
        k += [UInt8](repeating: 0, count: blockSize - k.count)
        let inner = SingleSHA256.hash(k.map { $0 ^ 0x36 } + message)
        return SingleSHA256.hash(k.map { $0 ^ 0x5c } + inner)
    }
}
