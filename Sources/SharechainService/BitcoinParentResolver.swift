import BitcoinPrimitives
import Sharechain

/// What the node's bitcoind knows of the Bitcoin block a share builds on (consumer-owned:
/// the node implements it over bitcoind's RPC). Docs/PROTOCOL.md §8 rule 9b: a share's Bitcoin header must
/// build on a block bitcoind knows and carry exactly the bits Bitcoin's rules require.
public protocol BitcoinParentResolver: Sendable {
    /// The rule for a child of `block`, or `.unknown` while bitcoind does not know it
    /// (or cannot be asked right now).
    func check(_ block: BlockHash) async -> BitcoinParentCheck
}
