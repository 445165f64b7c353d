import BitcoinPrimitives

/// Turns a payout address from user input into its scriptPubKey.
enum PayoutAddressParser {
    /// The address's scriptPubKey. With a network, the address must belong to it;
    /// without one, an address of any network is accepted.
    static func script(for text: String, network: BitcoinNetwork?, field: String) throws(TidesCommandError) -> Script {
        do {
            if let network {
                return try Address(text, network: network).scriptPubKey
            }
            return try Address.decode(text).address.scriptPubKey
        } catch {
            throw .invalidField(field, "\"\(text)\" is not a valid address: \(error.description)")
        }
    }
}
