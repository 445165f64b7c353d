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

extension ShareFactory {
    func mint(on chain: inout Sharechain, parent: ShareHash?, timestamp: UInt64, script: BitcoinPrimitives.Script,
              corruptSignature: Bool = false) -> WireShare {
        var tweaks = Tweaks()
        tweaks.corruptSignature = corruptSignature
        return make(on: &chain, parent: parent, timestamp: timestamp, script: script, tweaks: tweaks)
    }
}
