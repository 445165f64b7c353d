import BitcoinPrimitives
import Ed25519
import Sharechain

/// The handshake's proof of key ownership. Each side signs, in its `verack`,
/// the nonce the *other* side sent in its `version`, both node keys and the
/// consensus ID:
///
/// `"tidepool/handshake/v1" | peer_nonce [32] | signer_key [32] | peer_key [32] | consensus_id [32]`
///
/// Fresh nonces make a proof useless on any other connection; binding both keys
/// stops a relay from splicing two handshakes together.
public enum HandshakeProof {
    static let tag = Array("tidepool/handshake/v1".utf8)

    /// The signed bytes.
    public static func message(peerNonce: [UInt8], signer: PublicKey, peer: PublicKey, consensusID: ConsensusID) -> [UInt8] {
        tag + peerNonce + signer.rawRepresentation + peer.rawRepresentation + consensusID.rawHash.bytes
    }

    /// The `verack` answering `peerVersion`, signed by `key`.
    public static func verack(answering peerVersion: VersionMessage, key: SigningKey, consensusID: ConsensusID) -> VerackMessage {
        VerackMessage(signature: key.sign(message(peerNonce: peerVersion.nonce, signer: key.publicKey,
                                                  peer: peerVersion.nodeKey, consensusID: consensusID)))
    }

    /// Whether `verack` proves that the peer holds the key it announced in
    /// `peerVersion`, answering our nonce `ourNonce`.
    public static func verify(_ verack: VerackMessage, peerVersion: VersionMessage, ourNonce: [UInt8],
                              ourKey: PublicKey, consensusID: ConsensusID) -> Bool {
        peerVersion.nodeKey.isValidSignature(
            verack.signature,
            for: message(peerNonce: ourNonce, signer: peerVersion.nodeKey, peer: ourKey, consensusID: consensusID))
    }
}
