import BitcoinPrimitives
import Ed25519
import Sharechain
import TIDES

// Helpers for tests and benchmarks only; the node never links this module.

/// Test parameters: trivially easy targets so shares can be mined in microseconds.
public func testParameters(network: SharechainNetwork = .devnet, privateNetwork: PrivateNetwork = PrivateNetwork()) -> SharechainParameters {
    SharechainParameters(
        network: network, shareInterval: 10, retargetHalfLife: 600,
        maximumShareTarget: CompactTarget(rawValue: 0x207f_ffff),
        genesisShareTarget: CompactTarget(rawValue: 0x207f_ffff),
        tides: TidesParameters(windowMultiplier: 8, dustLimit: Amount(satoshis: 546 as Int64)!, payoutBudgetBytes: 500),
        privateNetwork: privateNetwork)
}

/// P2WPKH scripts, distinct per n.
public func payout(_ n: UInt8) -> Script { Script([0x00, 0x14] + [UInt8](repeating: n, count: 20)) }

/// The fixed key test shares are signed with.
public let testKey = SigningKey(rawRepresentation: [UInt8](repeating: 7, count: 32))!

/// Builds valid (or deliberately broken) shares on top of a chain, exactly as a
/// node's Stratum side would: TIDES split at the parent, coinbase, merkle root,
/// then grinds the nonce until the header meets the share target.
public struct ShareFactory {
    public var key = testKey
    public var bitcoinBits = CompactTarget(rawValue: 0x2000_ffff)  // work ≈ 256: Z ≈ 2,048
    public var reward = Amount(satoshis: 312_500_000 as Int64)!
    public var branch: [Hash256] = [SHA256d.hash([1]), SHA256d.hash([2])]
    /// The class shares declare and their split is computed for.
    public var coinbaseSizeClass: CoinbaseSizeClass = .safest
    /// The coinbase's witness commitment (empty: none).
    public var witnessCommitment = Script()

    /// Knobs for breaking one rule at a time.
    public struct Tweaks {
        public var consensusID: ConsensusID?
        public var height: UInt32?
        public var payouts: [PayoutEntry]?
        public var scriptSig: Script?
        public var skipProofOfWork = false
        public var corruptSignature = false
        public var version: UInt32?
        /// The header's raw `coinbase_class` byte (the split uses it when it is a known class).
        public var coinbaseSizeClassID: UInt8?
        public init() {}
    }

    public init() {}

    public func make(on chain: inout Sharechain, parent: ShareHash?, timestamp: UInt64, script: Script,
              bits: CompactTarget = CompactTarget(rawValue: 0x207f_ffff), tweaks: Tweaks = Tweaks()) -> WireShare {
        let parentEntry = parent.flatMap { chain.index[$0] }
        let height = tweaks.height ?? parentEntry.map { $0.height + 1 } ?? 0
        var header = ShareHeader(
            version: tweaks.version ?? SharechainParameters.shareVersion,
            consensusID: tweaks.consensusID ?? chain.consensusID,
            previousShare: parent ?? .none, height: height, bits: bits, timestamp: timestamp,
            coinbaseSizeClass: coinbaseSizeClass, payoutScript: script, nodeKey: key.publicKey)
        if let id = tweaks.coinbaseSizeClassID { header.coinbaseSizeClassID = id }
        let networkTarget = try! bitcoinBits.target()
        let split = try! chain.split(parent: parent, payoutScript: script, bits: bits,
                                     networkTarget: networkTarget, reward: reward,
                                     coinbaseSizeClass: header.coinbaseSizeClass ?? coinbaseSizeClass)
        let payouts = tweaks.payouts ?? split.outputs
        let scriptSig = tweaks.scriptSig ?? Script(Script.coinbaseHeight(Int(900_000 + height)).bytes
            + Array("/tidepool/".utf8) + [UInt8](repeating: 0, count: 12))
        let signature = tweaks.corruptSignature
            ? key.sign([0]) : key.sign(header.signingMessage)
        let coinbase = try! CoinbaseBuilder.transaction(scriptSig: scriptSig, coinbaseValue: reward, payouts: payouts,
                                                        shareHash: header.hash, witnessCommitment: witnessCommitment)
        var block = BlockHeader(version: 0x2000_0000, prevBlock: BlockHash(rawHash: SHA256d.hash([9])),
                                merkleRoot: Merkle.root(coinbaseTxid: coinbase.txid, branch: branch),
                                time: UInt32(truncatingIfNeeded: timestamp), bits: bitcoinBits, nonce: 0)
        let shareTarget = try! bits.target()
        while Work.meets(block.hash.rawHash, target: shareTarget) == tweaks.skipProofOfWork {
            block.nonce &+= 1
        }
        return WireShare(header: header, signature: signature, bitcoinHeader: block, coinbaseScriptSig: scriptSig,
                         coinbaseValue: reward, witnessCommitment: witnessCommitment, merkleBranch: branch)
    }
}

/// Validates and inserts, returning the outcome.
@discardableResult
public func accept(_ share: WireShare, into chain: inout Sharechain, now: UInt64 = 2_000_000_000) throws(ShareRuleError) -> Sharechain.InsertOutcome {
    let v = try chain.validate(share, now: now)
    return chain.insert(v.summary)
}

extension ShareFactory {
    /// A share paying `script` on the chain's best tip, 10 s after it (a first
    /// share at 1,700,000,000 on an empty chain).
    public func next(on chain: inout Sharechain, script: Script, corruptSignature: Bool = false) -> WireShare {
        let parent = chain.best
        var tweaks = Tweaks()
        tweaks.corruptSignature = corruptSignature
        return make(on: &chain, parent: parent?.hash, timestamp: parent.map { $0.summary.timestamp + 10 } ?? 1_700_000_000,
                    script: script, tweaks: tweaks)
    }
}

extension ShareFactory {
    /// A share on `parent` at `timestamp` paying `script`, optionally with a forged signature.
    public func mint(on chain: inout Sharechain, parent: ShareHash?, timestamp: UInt64, script: Script,
                     corruptSignature: Bool = false) -> WireShare {
        var tweaks = Tweaks()
        tweaks.corruptSignature = corruptSignature
        return make(on: &chain, parent: parent, timestamp: timestamp, script: script, tweaks: tweaks)
    }
}
