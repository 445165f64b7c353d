import BitcoinPrimitives
import Ed25519
import PeerProtocol
import Sharechain
import TIDES
import Testing

@Suite("PeerProtocol: handshake proof and version checks")
struct HandshakeTests {
    let a = SigningKey(rawRepresentation: [UInt8](repeating: 1, count: 32))!
    let b = SigningKey(rawRepresentation: [UInt8](repeating: 2, count: 32))!
    let params = SharechainParameters.standard(.devnet)

    @Test func proofVerifiesOnlyForTheRightNonceKeysAndNetwork() {
        let id = params.consensusID
        var ourVersion = sampleVersion(nodeKey: a.publicKey, consensusID: id)
        ourVersion.nonce = [UInt8](repeating: 9, count: 32)
        let theirVersion = sampleVersion(nodeKey: b.publicKey, consensusID: id)
        // B answers our version.
        let verack = HandshakeProof.verack(answering: ourVersion, key: b, consensusID: id)
        #expect(HandshakeProof.verify(verack, peerVersion: theirVersion, ourNonce: ourVersion.nonce,
                                      ourKey: a.publicKey, consensusID: id))
        #expect(!HandshakeProof.verify(verack, peerVersion: theirVersion, ourNonce: theirVersion.nonce,
                                       ourKey: a.publicKey, consensusID: id))
        #expect(!HandshakeProof.verify(verack, peerVersion: theirVersion, ourNonce: ourVersion.nonce,
                                       ourKey: b.publicKey, consensusID: id))
        #expect(!HandshakeProof.verify(verack, peerVersion: theirVersion, ourNonce: ourVersion.nonce,
                                       ourKey: a.publicKey, consensusID: ConsensusID(rawHash: hash(1).rawHash)))
    }

    @Test func versionRefusals() {
        let id = params.consensusID
        #expect(VersionCheck.refusal(of: sampleVersion(consensusID: id), parameters: params, consensusID: id) == nil)
        #expect(VersionCheck.refusal(of: sampleVersion(), parameters: params, consensusID: id)?.code == .consensusMismatch)
        var old = sampleVersion(consensusID: id)
        old.protocolVersion = 0
        #expect(VersionCheck.refusal(of: old, parameters: params, consensusID: id)?.code == .protocolVersion)
        var priv = params
        priv.privateNetwork = PrivateNetwork(allowedNodeKeys: [a.publicKey])
        let pid = priv.consensusID
        #expect(VersionCheck.refusal(of: sampleVersion(nodeKey: a.publicKey, consensusID: pid), parameters: priv,
                                     consensusID: pid) == nil)
        #expect(VersionCheck.refusal(of: sampleVersion(nodeKey: b.publicKey, consensusID: pid), parameters: priv,
                                     consensusID: pid)?.code == .nodeKeyNotAllowed)
    }
}
