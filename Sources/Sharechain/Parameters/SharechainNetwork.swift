import BitcoinPrimitives

/// The networks a Tidepool node can run on.
///
/// `devnet` is Tidepool's own local test network: it mines on the embedded
/// simulated Bitcoin chain and uses regtest addresses.
public enum SharechainNetwork: String, Sendable, Hashable, CaseIterable {
    case mainnet, testnet4, signet, regtest, devnet

    /// The Bitcoin network whose blocks (and addresses) this sharechain mines.
    public var bitcoinNetwork: BitcoinNetwork {
        switch self {
        case .mainnet: return .mainnet
        case .testnet4: return .testnet4
        case .signet: return .signet
        case .regtest, .devnet: return .regtest
        }
    }
}
