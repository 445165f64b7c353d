import Sharechain

/// Checks a peer's `version` against this node's parameters; a refusal names
/// the `reject` to send before disconnecting.
public enum VersionCheck {
    /// nil when acceptable, otherwise the reject to send.
    public static func refusal(of version: VersionMessage, parameters: SharechainParameters,
                               consensusID: ConsensusID) -> RejectMessage? {
        if version.protocolVersion < VersionMessage.currentProtocolVersion {
            return RejectMessage(code: .protocolVersion,
                                 reason: "protocol version \(version.protocolVersion) is too old (need \(VersionMessage.currentProtocolVersion))")
        }
        if version.consensusID != consensusID {
            // Neither ID is echoed: on a private network ours is the network's identity.
            return RejectMessage(code: .consensusMismatch, reason: "consensus ID differs from ours")
        }
        if !parameters.privateNetwork.allows(version.nodeKey) {
            return RejectMessage(code: .nodeKeyNotAllowed, reason: "node key \(version.nodeKey) is not on the allowlist")
        }
        return nil
    }
}
