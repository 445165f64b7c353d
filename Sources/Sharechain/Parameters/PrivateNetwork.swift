import BitcoinPrimitives
import Ed25519

/// What makes a network private: a shared password and/or the node keys that may
/// publish shares. Both are folded into the consensus ID, so nodes that differ in
/// either never talk to each other.
public struct PrivateNetwork: Sendable, Hashable {
    /// Shared secret; only its hash enters the consensus ID.
    public var password: String?
    /// Node keys allowed to sign shares; nil means anyone may publish.
    public var allowedNodeKeys: Set<PublicKey>?

    public init(password: String? = nil, allowedNodeKeys: Set<PublicKey>? = nil) {
        self.password = password
        self.allowedNodeKeys = allowedNodeKeys
    }

    /// Whether `key` may publish shares on this network.
    public func allows(_ key: PublicKey) -> Bool {
        allowedNodeKeys?.contains(key) ?? true
    }
}
