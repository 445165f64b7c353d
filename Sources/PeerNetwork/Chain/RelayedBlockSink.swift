/// Where the peer network hands the full Bitcoin blocks peers relay (consumer-owned: the
/// node submits them to its bitcoind). Called on the peer manager's actor: return at once.
public protocol RelayedBlockSink: Sendable {
    /// A block a peer relayed, its proof of work and (when bound to bitcoind) its bits checked.
    func submitRelayedBlock(_ bytes: [UInt8])
}
