import BitcoinPrimitives
import StratumProtocol
import Testing

@Suite struct StratumWorkerTests {
    @Test("a username splits into payout address and worker name; logs show the username as sent")
    func parsesAndDescribes() throws {
        let worker = try StratumWorker(username: "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.rig-7", network: .regtest)
        #expect(worker.workerName == "rig-7")
        #expect(worker.payoutScript.bytes == [0x00, 0x14] + worker.payoutScript.bytes.suffix(20) && worker.payoutScript.bytes.count == 22)
        #expect("\(worker)" == "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080.rig-7")
        #expect(throws: (any Error).self) { try StratumWorker(username: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", network: .regtest) }
    }
}
