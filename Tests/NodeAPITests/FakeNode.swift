import BitcoinPrimitives
import NodeAPI
import Sharechain
import TIDES

/// A node with fixed answers, for the route tests.
struct FakeNode: NodeStatusProvider {
    static let tipHash = ShareHash(displayHex: String(repeating: "ab", count: 32))!
    static let parentHash = ShareHash(displayHex: String(repeating: "cd", count: 32))!
    static let blockHash = BlockHash(displayHex: "000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506")!
    static let script = Script(hex: "0014751e76e8199196d454941c45d1b3a323f1433bd6")!
    static let address = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"

    var payoutsUnavailable = false

    func status() async throws -> NodeStatus {
        NodeStatus(network: "devnet", consensusID: ConsensusID(rawHash: Hash256(displayHex: String(repeating: "01", count: 32))!),
                   tip: .init(hash: Self.tipHash, height: 42), chainWork: UInt256(decimal: "123456789012345678901234567890")!,
                   synced: true, peers: 3, bitcoin: .init(height: 100_000, bestBlockHash: Self.blockHash))
    }

    func payouts() async throws -> TidesSplit {
        if payoutsUnavailable { throw NodeAPIError.unavailable("no block template yet") }
        let other = Script(hex: "76a914000000000000000000000000000000000000000088ac")!
        let shares = [TidesShare(script: Self.script, work: UInt256(3)), TidesShare(script: other, work: UInt256(1))]
        return try Tides.split(reward: Amount(satoshis: Int64(312_500_000))!, networkTarget: try CompactTarget(rawValue: 0x207f_ffff).target(),
                               sharesNewestFirst: shares, parameters: .standard, lotterySeed: .zero)
    }

    func share(_ hash: ShareHash) async throws -> ShareRow? {
        try await shares(limit: 2, before: nil).first { $0.hash == hash }
    }

    func shares(limit: Int, before: ShareHash?) async throws -> [ShareRow] {
        if let before, before != Self.tipHash { throw NodeAPIError.notFound("unknown share \(before)") }
        let tip = ShareRow(hash: Self.tipHash, previousShare: Self.parentHash, height: 42,
                           bits: CompactTarget(rawValue: 0x1f00_ffff), timestamp: 1_700_000_000,
                           payoutScript: Self.script, payoutAddress: Self.address, nodeKey: [UInt8](repeating: 7, count: 32),
                           blockHash: Self.blockHash)
        var parent = tip
        parent.hash = Self.parentHash
        parent.previousShare = .none
        parent.height = 41
        parent.payoutAddress = nil
        parent.blockHash = nil
        let rows = before == nil ? [tip, parent] : [parent]
        return Array(rows.prefix(limit))
    }

    func miners() async throws -> [MinerRow] {
        [MinerRow(address: Self.address, worker: "rig1", difficulty: 0.001, accepted: 10, rejected: 1,
                  hashrate: 1_500_000.5, lastShareTime: 1_700_000_100),
         MinerRow(address: Self.address, worker: nil, difficulty: 1, accepted: 0, rejected: 0, hashrate: 0, lastShareTime: nil)]
    }

    func blocks() async throws -> [FoundBlockRow] {
        [FoundBlockRow(height: 100_000, hash: Self.blockHash, shareHash: Self.tipHash, time: 1_293_623_863,
                       reward: 5_000_000_000, acceptedByBitcoind: true, verdict: "accepted", isShare: true,
                       parentShare: Self.parentHash, shareHeight: 42, shareBits: CompactTarget(rawValue: 0x1f00_ffff),
                       bitcoinBits: CompactTarget(rawValue: 0x1b04_864c), payoutScript: Self.script.bytes,
                       payoutAddress: Self.address, nodeKey: [UInt8](repeating: 7, count: 32))]
    }

    func peers() async throws -> [PeerRow] {
        [PeerRow(address: "10.0.0.2:9333", direction: .outbound, nodeKey: [UInt8](repeating: 9, count: 32),
                 connectedSince: 1_700_000_000, banScore: 0),
         PeerRow(address: "10.0.0.3:50123", direction: .inbound, nodeKey: nil, connectedSince: 1_700_000_050, banScore: 10)]
    }

    /// The scripted statistics (StatisticsScript).
    func statistics() async throws -> PoolStatisticsReport { StatisticsScript.book.poolReport() }

    /// The scripted statistics and the `payouts()` split; 400 for text that is not a
    /// regtest address, nil (404) for an address with neither.
    func minerStatistics(address: String) async throws -> MinerStatisticsReport? {
        guard let parsed = try? Address(address, network: .regtest) else {
            throw NodeAPIError.badRequest("\(address) is not a regtest address")
        }
        return StatisticsScript.book.minerReport(address: parsed.encoded(for: .regtest), script: parsed.scriptPubKey,
                                                 split: try await payouts())
    }
}
