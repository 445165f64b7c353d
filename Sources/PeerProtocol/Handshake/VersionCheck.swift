import Sharechain

/// Checks a peer's `version` against this node's parameters; a refusal names
/// the `reject` to send before disconnecting.
public enum VersionCheck {
    /// nil when acceptable, otherwise the reject to send.
    public static func refusal(of version: VersionMessage, parameters: SharechainParameters,
                               consensusID: ConsensusID) -> RejectMessage? {
        if version.protocolVersion < VersionMessage.currentProtocolVersion {
            return RejectMessage(code: .protocolVersion, reason: "protocol version \(version.protocolVersion) is too old")
        }
        if version.consensusID != consensusID {
            return RejectMessage(code: .consensusMismatch,
                                 reason: "consensus ID \(version.consensusID) differs from ours \(consensusID)")
        }
        if !parameters.privateNetwork.allows(version.nodeKey) {
            return RejectMessage(code: .nodeKeyNotAllowed, reason: "node key \(version.nodeKey) is not on the allowlist")
        }
        return nil
    }
}
