import BitcoinPrimitives

/// Turns a payout address from user input into its scriptPubKey.
enum PayoutAddressParser {
    static func script(for text: String, network: BitcoinNetwork?, field: String) throws(TidesCommandError) -> Script {
        throw .invalidField(field, "addresses are not supported yet")
    }
}
