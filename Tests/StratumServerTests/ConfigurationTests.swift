import BitcoinPrimitives
import Sharechain
import StratumProtocol
import Testing
@testable import StratumServer

@Suite("Stratum server configuration")
struct ConfigurationTests {
    /// StratumProtocol knows Bitcoin networks only; the server maps its sharechain network.
    @Test func devnetGetsRegtestsFractionalPolicy() {
        #expect(VardiffPolicy.standard(for: SharechainNetwork.devnet) == VardiffPolicy.standard(for: BitcoinNetwork.regtest))
        #expect(StratumServerConfiguration(host: "127.0.0.1", port: 0, network: .devnet).vardiff
                    == VardiffPolicy.standard(for: BitcoinNetwork.regtest))
        #expect(!VardiffPolicy.standard(for: SharechainNetwork.devnet).wholeNumbersOnly)
        for network in SharechainNetwork.allCases {
            #expect(VardiffPolicy.standard(for: network) == VardiffPolicy.standard(for: network.bitcoinNetwork))
        }
        #expect(VardiffPolicy.standard(for: SharechainNetwork.mainnet).initial == StratumDifficulty(1024))
    }
}
