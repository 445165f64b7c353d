import BitcoinPrimitives

/// Deterministic, distinct regtest payout addresses for the devnet's miners.
enum DevnetAddresses {
    /// A P2WPKH address whose 20-byte program is derived from the miner's index.
    static func miner(node: Int, index: Int) -> String {
        let seed = Array("tidepool-devnet-miner-\(node)-\(index)".utf8)
        let program = Array(SHA256d.hash(seed).bytes.prefix(20))
        return Address.p2wpkh(Hash160(bytes: program)!).encoded(for: .regtest)
    }
}
