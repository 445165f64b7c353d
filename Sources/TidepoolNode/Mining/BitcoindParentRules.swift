import BitcoinPrimitives
import BitcoinRPC
import Logging
import PeerNetwork
import Sharechain
import SharechainService

/// Where the resolver reads Bitcoin headers (bitcoind's RPC; a fake in tests).
public protocol BitcoinHeaderSource: Sendable {
    /// `getblockheader`, nil for an unknown block.
    func header(_ hash: BlockHash) async throws -> BlockHeaderInfo?
    /// `getblockhash` on the active chain, nil past the tip.
    func hash(atHeight height: Int) async throws -> BlockHash?
}

extension BitcoinRPCClient: BitcoinHeaderSource {
    public func header(_ hash: BlockHash) async throws -> BlockHeaderInfo? { try await getBlockHeader(hash) }
    public func hash(atHeight height: Int) async throws -> BlockHash? { try await getBlockHash(height: height) }
}

/// Binds shares to the real Bitcoin chain (Docs/PROTOCOL.md §8 rule 9b) by asking bitcoind about each
/// Bitcoin block shares build on, and stating Bitcoin's difficulty rule for its child
/// (`BitcoinWorkRule`). One `getblockheader` per new Bitcoin block, more only at a
/// retarget (the period's first block) and on testnet4 after minimum-difficulty blocks
/// (a walk back to the last regular one, at most one period).
public actor BitcoindParentRules: BitcoinParentResolver {
    private let source: any BitcoinHeaderSource
    private let network: BitcoinNetwork
    private let logger: Logger

    public init(source: any BitcoinHeaderSource, network: BitcoinNetwork, logger: Logger) {
        self.source = source
        self.network = network
        self.logger = logger
    }

    public func check(_ block: BlockHash) async -> BitcoinParentCheck {
        do {
            guard let info = try await source.header(block) else { return .unknown(block) }
            var parent = BitcoinWorkRule.Parent(height: info.height, bits: info.bits, time: info.time)
            if parent.childIsRetarget {
                guard let first = try await ancestor(of: info, atHeight: info.height - (BitcoinWorkRule.interval - 1)) else {
                    return .unknown(block)
                }
                parent.periodFirst = (first.time, first.bits)
            } else if network == .testnet4, info.bits == CompactTarget(target: BitcoinWorkRule.powLimit(network)) {
                parent.lastRegularBits = try await lastRegularBits(from: info)
            }
            guard let rule = BitcoinWorkRule.rule(for: parent, network: network) else { return .unknown(block) }
            return .known(rule)
        } catch {
            logger.notice("cannot check Bitcoin block \(block) with bitcoind (\(error)); shares on it wait")
            return .unknown(block)
        }
    }

    /// The ancestor at `height`: by height on the active chain, else by walking back.
    private func ancestor(of info: BlockHeaderInfo, atHeight height: Int) async throws -> BlockHeaderInfo? {
        if info.confirmations >= 0, let hash = try await source.hash(atHeight: height) {
            return try await source.header(hash)
        }
        var current = info
        while current.height > height {
            guard let previous = current.previousBlockHash, let next = try await source.header(previous) else { return nil }
            current = next
        }
        return current
    }

    /// testnet4: the bits of the newest block of the period that is not a
    /// minimum-difficulty block (Bitcoin Core `GetNextWorkRequired`'s walk back).
    private func lastRegularBits(from info: BlockHeaderInfo) async throws -> CompactTarget? {
        let limit = CompactTarget(target: BitcoinWorkRule.powLimit(network))
        var current = info
        while current.height % BitcoinWorkRule.interval != 0 && current.bits == limit {
            guard let previous = current.previousBlockHash, let next = try await source.header(previous) else { return nil }
            current = next
        }
        return current.bits
    }
}
