import BitcoinPrimitives
import Sharechain
import SharechainTestSupport

// The peer tests mint shares with the shared test support (`ShareFactory`,
// `MemoryShareStore`); these names keep the tests readable.
typealias ShareMinter = ShareFactory
typealias InMemoryShareStore = MemoryShareStore

/// Test parameters: trivially easy targets so shares are mined in microseconds.
func peerTestParameters(privateNetwork: PrivateNetwork = PrivateNetwork()) -> SharechainParameters {
    testParameters(network: .devnet, privateNetwork: privateNetwork)
}

/// P2WPKH scripts, distinct per n.
func payoutScript(_ n: UInt8) -> BitcoinPrimitives.Script { payout(n) }
