import Sharechain

/// An orphan that failed validation once its parent arrived, and the peer that sent it.
public struct OrphanFailure: Sendable, Equatable {
    /// The connection that sent the failing copy.
    public var peer: PeerID
    /// The share's hash (another copy with this hash may have been accepted).
    public var share: ShareHash
    /// Why the copy failed; `error.penalty` is what its sender deserves.
    public var error: ShareRuleError
    public init(peer: PeerID, share: ShareHash, error: ShareRuleError) {
        self.peer = peer
        self.share = share
        self.error = error
    }
}
