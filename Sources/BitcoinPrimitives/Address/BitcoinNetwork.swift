/// The Bitcoin networks Tidepool can mine on, with their address encodings.
public enum BitcoinNetwork: String, Sendable, Hashable, CaseIterable {
    case mainnet, testnet4, signet, regtest

    /// Human-readable part of segwit addresses (BIP173).
    public var bech32HRP: String {
        switch self {
        case .mainnet: return "bc"
        case .testnet4, .signet: return "tb"
        case .regtest: return "bcrt"
        }
    }

    /// Base58Check version byte of P2PKH addresses.
    public var p2pkhVersion: UInt8 { self == .mainnet ? 0x00 : 0x6f }

    /// Base58Check version byte of P2SH addresses.
    public var p2shVersion: UInt8 { self == .mainnet ? 0x05 : 0xc4 }
}
