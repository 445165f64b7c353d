import BitcoinPrimitives

/// An authorized miner: `mining.authorize`'s username split into the payout address
/// and the optional worker name (`address.worker`).
public struct StratumWorker: Sendable, Hashable {
    /// The username as the miner sent it.
    public var username: String
    /// The payout address (of the node's network).
    public var address: Address
    /// The address's output script: the coinbase pays this miner's shares to it.
    public var payoutScript: Script
    /// The part after the first `.`, if any (may be empty).
    public var workerName: String?

    /// Parses a username for `network`.
    ///
    /// - Throws: the address error (wrong network, bad checksum, …) for the part before `.`.
    public init(username: String, network: BitcoinNetwork) throws(AddressError) {
        let parts = username.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = parts.first.map { String($0).trimmingSpaces() } ?? ""
        self.username = username
        self.address = try Address(addressText, network: network)
        self.payoutScript = address.scriptPubKey
        self.workerName = parts.count > 1 ? String(parts[1]) : nil
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

extension StratumWorker: CustomStringConvertible {
    /// The username as the miner sent it (`ADDRESS[.WORKER]`), for logs.
    public var description: String { username }
}
