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

    @Test("HMAC-SHA256 matches RFC 4231 test case 2")
    func hmacVector() {
        let mac = HMACSHA256.authenticate(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(Hex.encode(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("on a network with a password the proof verifies only under the same password key")
    func passwordBoundProof() {
        var priv = params
        priv.privateNetwork = PrivateNetwork(password: "correct horse battery staple")
        let id = priv.consensusID
        let key = HandshakeProof.passwordKey(of: priv.privateNetwork)
        #expect(key != nil && key != HandshakeProof.passwordKey("guess"))
        let ourVersion = sampleVersion(nodeKey: a.publicKey, consensusID: id)
        let theirVersion = sampleVersion(nodeKey: b.publicKey, consensusID: id)
        let honest = HandshakeProof.verack(answering: ourVersion, key: b, consensusID: id, passwordKey: key)
        #expect(HandshakeProof.verify(honest, peerVersion: theirVersion, ourNonce: ourVersion.nonce,
                                      ourKey: a.publicKey, consensusID: id, passwordKey: key))
        // Knows the consensus ID, not the password.
        for wrong in [nil, HandshakeProof.passwordKey("guess")] {
            let forged = HandshakeProof.verack(answering: ourVersion, key: b, consensusID: id, passwordKey: wrong)
            #expect(!HandshakeProof.verify(forged, peerVersion: theirVersion, ourNonce: ourVersion.nonce,
                                           ourKey: a.publicKey, consensusID: id, passwordKey: key))
        }
    }

    @Test("a consensus mismatch reject does not echo either consensus ID")
    func rejectDoesNotEchoConsensusID() throws {
        var priv = params
        priv.privateNetwork = PrivateNetwork(password: "secret")
        let id = priv.consensusID
        let stranger = sampleVersion()
        let reject = try #require(VersionCheck.refusal(of: stranger, parameters: priv, consensusID: id))
        #expect(reject.code == .consensusMismatch)
        #expect(!reject.reason.contains("\(id)") && !reject.reason.contains("\(stranger.consensusID)"))
        #expect(!reject.reason.lowercased().contains(Hex.encode(id.rawHash.bytes).prefix(8)))
    }
}
