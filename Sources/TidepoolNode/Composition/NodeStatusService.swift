import BitcoinPrimitives
import Foundation
import NodeAPI
import PeerNetwork
import Sharechain
import SharechainService
import SharechainStore
import StratumServer
import TIDES

/// The node's answers for the HTTP API (Docs/HTTP-API.md).
struct NodeStatusService: NodeStatusProvider {
    let configuration: NodeConfiguration
    let chain: LocalShareChain
    let store: LevelDBShareStore
    let peers: PeerManager
    let stratum: StratumServer
    let coordinator: MiningCoordinator
    let blocks: FoundBlockSubmitter
    /// The per-minute statistics (`StatisticsCollectorService` fills it).
    let statistics: StatisticsCollector

    func status() async throws -> NodeStatus {
        let tip = await chain.bestTip()
        let template = await coordinator.currentTemplate
        let retained = await chain.retentionStatus()
        return NodeStatus(
            network: configuration.network.rawValue, consensusID: configuration.parameters.consensusID,
            tip: tip.map { .init(hash: $0.hash, height: $0.height) }, chainWork: tip?.work ?? .zero,
            synced: configuration.network == .devnet || peers.isSynced, peers: await peers.peerCount,
            bitcoin: template.map { .init(height: UInt32(max(0, $0.height - 1)), bestBlockHash: $0.previousBlockHash) },
            storeError: chain.storeFailure,
            retention: .init(shares: retained.shares, work: retained.work, lowestHeight: retained.lowestHeight))
    }

    /// The split if a block were found now, computed from the chain alone so that
    /// every node on the same tip answers the same: the next share is taken to pay
    /// the tip share's miner at the required target (the coinbase a local miner
    /// gets differs only in who `s0` is).
    func payouts() async throws -> TidesSplit {
        guard let template = await coordinator.currentTemplate else {
            throw NodeAPIError.unavailable("no block template from bitcoind yet")
        }
        // The tip share's own coinbase class (every node has the stored share).
        let tipHash = await chain.bestTip()?.hash
        let sizeClass = tipHash.flatMap { try? store.share($0) }?.header.coinbaseSizeClass ?? .safest
        let split = try await chain.withChain { chain -> TidesSplit? in
            guard let tip = chain.best else { return nil }
            let required = chain.requiredTarget(parent: tip.hash)
            return try chain.split(parent: tip.hash, payoutScript: tip.summary.payoutScript,
                                   bits: CompactTarget(target: required), networkTarget: template.target,
                                   reward: template.coinbaseValue, coinbaseSizeClass: sizeClass)
        }
        guard let split else { throw NodeAPIError.unavailable("the sharechain is empty") }
        return split
    }

    func shares(limit: Int, before: ShareHash?) async throws -> [ShareRow] {
        let entries = try await chain.withChain { chain -> [ChainEntry] in
            let start: ShareHash?
            if let before {
                guard let e = chain.index[before] else { throw NodeAPIError.notFound("share \(before) is not known") }
                start = e.summary.previousShare
            } else {
                start = chain.bestTip
            }
            guard let start else { return [] }
            return chain.index.ancestors(of: start, count: limit)
        }
        return entries.map(row)
    }

    func share(_ hash: ShareHash) async throws -> ShareRow? {
        guard let entry = await chain.withChain({ $0.index[hash] }) else { return nil }
        return row(entry)
    }

    private func row(_ entry: ChainEntry) -> ShareRow {
        let wire = try? store.share(entry.hash)
        var blockHash: BlockHash?
        // The header's own bits may be trusted here: every share in the chain passed rule
        // 9b (PROTOCOL.md §8), which binds those bits to bitcoind's chain on every network
        // with a real bitcoind (the devnet's simulated chain sets its own).
        if let wire, let target = try? wire.bitcoinHeader.bits.target() {
            let h = wire.bitcoinHeader.hash
            if Work.meets(h.rawHash, target: target) { blockHash = h }
        }
        return ShareRow(summary: entry.summary, network: configuration.network.bitcoinNetwork,
                        nodeKey: wire?.header.nodeKey.rawRepresentation ?? [], blockHash: blockHash)
    }

    func miners() async throws -> [MinerRow] {
        await stratum.workerStats().map { w in
            var row = MinerRow(address: w.address ?? "", worker: w.workerName,
                               difficulty: w.difficulty.approximateValue,  // display only
                               accepted: w.accepted, rejected: w.rejected.values.reduce(0, +),
                               hashrate: w.hashrate, lastShareTime: nil)
            row.userAgent = w.userAgent
            row.coinbaseClass = w.coinbaseSizeClass.map(\.nominalSize)
            row.coinbaseClassReason = w.coinbaseSizeClassReason
            return row
        }
    }

    func blocks() async throws -> [FoundBlockRow] {
        let records = try store.foundBlocks.foundBlocks(limit: 1000)
        // `is_share`: the committed share header is in this node's sharechain (a header
        // that met the share target on a job gone stale, or a duplicate, is not).
        let hashes = records.map(\.share.header.hash)
        let inChain = await chain.withChain { chain in hashes.map { chain.index.contains($0) } }
        return zip(records, inChain).map { r, isShare in
            let h = r.share.header
            return FoundBlockRow(
                height: r.bitcoinHeight, hash: r.blockHash, shareHash: h.hash, time: r.foundAt,
                reward: UInt64(r.reward.satoshis), acceptedByBitcoind: Self.accepted(r.verdict),
                verdict: r.verdict, isShare: isShare, parentShare: h.previousShare, shareHeight: h.height,
                shareBits: h.bits, bitcoinBits: r.share.bitcoinHeader.bits,
                payoutScript: h.payoutScript.bytes,
                payoutAddress: Address(scriptPubKey: h.payoutScript)?.encoded(for: configuration.network.bitcoinNetwork),
                nodeKey: h.nodeKey.rawRepresentation)
        }
    }

    /// `accepted_by_bitcoind`: true for accepted/duplicate, false for a rejection, nil
    /// while pending, inconclusive or not submitted.
    static func accepted(_ verdict: String) -> Bool? {
        switch verdict {
        case "accepted", "duplicate": return true
        case "duplicate-invalid": return false
        default: return verdict.hasPrefix("rejected") ? false : nil
        }
    }

    func peers() async throws -> [PeerRow] {
        await peers.connectedPeers().map { p in
            PeerRow(address: p.host, direction: p.inbound ? .inbound : .outbound,
                    nodeKey: p.nodeKey.rawRepresentation, connectedSince: 0, banScore: 0)
        }
    }

    func statistics() async throws -> PoolStatisticsReport {
        statistics.read { $0.poolReport() }
    }

    /// The address's statistics and its part of the `payouts()` split (the same split
    /// the coinbase would pay); `address` is normalized to its canonical text.
    func minerStatistics(address: String) async throws -> MinerStatisticsReport? {
        let network = configuration.network.bitcoinNetwork
        let parsed: Address
        do { parsed = try Address(address, network: network) } catch {
            throw NodeAPIError.badRequest("\(address) is not a \(configuration.network.rawValue) address: \(error)")
        }
        let split = try? await payouts()
        let canonical = parsed.encoded(for: network)
        return statistics.read { $0.minerReport(address: canonical, script: parsed.scriptPubKey, split: split) }
    }
}
