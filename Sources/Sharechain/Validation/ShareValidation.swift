import BitcoinPrimitives
import Ed25519
import TIDES

/// A share that passed every rule, ready to be stored and inserted.
public struct ValidatedShare: Sendable {
    public var share: WireShare
    /// Summary with the next first-seen sequence number.
    public var summary: ShareSummary
    /// The TIDES split the share's coinbase pays.
    public var split: TidesSplit
    /// Whether the Bitcoin header also meets the Bitcoin target: a found block.
    public var isBlock: Bool
}

extension Sharechain {
    /// How far ahead of local time a share's timestamp may be (policy, not
    /// consensus: a share rejected for this may be accepted later).
    public static let maxFutureDrift: UInt64 = 600
    /// Share timestamps above this are rejected outright (year 36,812).
    public static let maxTimestamp: UInt64 = 1 << 40

    /// Checks every rule of `Docs/PROTOCOL.md` against this chain, cheapest first;
    /// the signature (≈ 41 µs) is checked only after the proof of work.
    /// `now` is the caller's clock, used only for the future-drift policy.
    /// `bitcoinParent` is what the node's bitcoind knows of the Bitcoin header's
    /// `prev_block` (Docs/PROTOCOL.md §8 rule 9b): with it, the header's `bits` must be what Bitcoin's rules
    /// require on top of that block; nil skips the check (replay of stored shares, the
    /// devnet's simulated chain, tests of other rules).
    ///
    /// The share must be new and its parent indexed (`precheck(_:)` returns nil): a known
    /// share or an orphan broke no rule and is not validated (calling this on one is a
    /// programming error).
    /// `signatureVerdict`, when given, answers the signature rule in place of checking it
    /// here: it must return `share.hasValidSignature` (e.g. `SignatureBatch.verdict(at:)`,
    /// checked ahead on another core); it is asked at the same point of the rule order.
    public mutating func validate(_ share: WireShare, now: UInt64,
                                  bitcoinParent: BitcoinParentCheck? = nil,
                                  signatureVerdict: (() -> Bool)? = nil) throws(ShareRuleError) -> ValidatedShare {
        let header = share.header
        let hash = header.hash
        // `insert` traps on a known share; checked here in debug builds only (one lookup less).
        assert(!index.contains(hash), "validate(_:) of a known share: check precheck(_:) first")
        guard header.consensusID == consensusID else { throw .wrongConsensusID(header.consensusID) }
        guard header.version == SharechainParameters.shareVersion else { throw .unsupportedVersion(header.version) }
        guard let sizeClass = header.coinbaseSizeClass else { throw .unknownCoinbaseSizeClass(header.coinbaseSizeClassID) }
        if header.timestamp > Self.maxTimestamp || header.timestamp > now &+ Self.maxFutureDrift {
            throw .timestampTooFarInFuture(timestamp: header.timestamp, now: now)
        }
        guard Address(scriptPubKey: header.payoutScript) != nil else { throw .nonStandardPayoutScript }
        guard parameters.privateNetwork.allows(header.nodeKey) else { throw .nodeKeyNotAllowed }

        // Position in the chain.
        // The parent's slot in the index (-1: a first share), looked up once for every rule.
        let parentSlot: Int32
        if header.previousShare == .none {
            guard header.height == 0 else { throw .badHeight(expected: 0, actual: header.height) }
            parentSlot = -1
        } else {
            guard let slot = index.slot(of: header.previousShare, hint: bestSlot) else {
                preconditionFailure("validate(_:) of an orphan: check precheck(_:) first")
            }
            let parentHeight = index.nodes[Int(slot)].height
            guard header.height == parentHeight + 1 else { throw .badHeight(expected: parentHeight + 1, actual: header.height) }
            let mtp = medianTimePast(slot: slot)
            guard header.timestamp > mtp else { throw .timestampTooEarly(timestamp: header.timestamp, medianTimePast: mtp) }
            parentSlot = slot
        }

        // Targets and proof of work.
        let shareTarget: UInt256, bitcoinTarget: UInt256
        do { shareTarget = try header.bits.target() } catch { throw .invalidBits(header.bits) }
        do { bitcoinTarget = try share.bitcoinHeader.bits.target() } catch { throw .invalidBits(share.bitcoinHeader.bits) }
        switch bitcoinParent {
        case nil: break
        case .unknown(let block)?: throw .unknownBitcoinBlock(block)
        case .known(let rule)?:
            guard rule.allows(share.bitcoinHeader) else {
                throw .wrongBitcoinBits(declared: share.bitcoinHeader.bits, required: rule.requiredBits)
            }
        }
        let required = requiredTarget(parentSlot: parentSlot)
        if parentSlot < 0 {
            // A first share declares exactly the genesis target, encoded canonically.
            guard header.bits == CompactTarget(target: required) else { throw .badGenesisTarget }
        } else {
            guard shareTarget <= required else { throw .targetTooEasy(declared: header.bits, required: required) }
        }
        let blockHash = share.bitcoinHeader.hash
        guard Work.meets(blockHash.rawHash, target: shareTarget) else { throw .insufficientProofOfWork }
        try checkForkDepth(parentSlot: parentSlot, height: header.height)
        guard share.coinbaseScriptSig.coinbaseHeight != nil else { throw .missingCoinbaseHeight }

        // Who published it.
        guard signatureVerdict?() ?? header.isSigned(by: share.signature, hash: hash) else {
            throw .badSignature
        }

        // What it pays: the coinbase rebuilt with this chain's TIDES split must
        // be the one the miner hashed.
        let split: TidesSplit
        do {
            // The lottery seed is the parent's hash (zero for a first share: `previousShare` is then zero).
            split = try self.split(parentSlot: parentSlot, lotterySeed: header.previousShare.rawHash,
                                   payoutScript: header.payoutScript, bits: header.bits,
                                   networkTarget: bitcoinTarget, reward: share.coinbaseValue,
                                   coinbaseSizeClass: sizeClass)
        } catch {
            throw .payoutSplitFailed("\(error)")
        }
        if root != nil, !windowIsFull(split, bitcoinTarget: bitcoinTarget) {
            // The window reaches below the pruned root: the payouts cannot be recomputed.
            guard rootAdoptedFromPeers else { throw .windowBeyondRetainedHistory }
            unverifiedPayoutShares += 1
        } else {
            guard let coinbase = try? CoinbaseBuilder.digest(for: share, split: split, shareHash: hash),
                  Merkle.root(coinbaseTxid: coinbase.txid, branch: share.merkleBranch) == share.bitcoinHeader.merkleRoot
            else { throw .merkleRootMismatch }
            // ... and fit the firmware class the share declares.
            guard sizeClass.admits(coinbase.halves) else { throw .coinbaseExceedsSizeClass(sizeClass, coinbase.halves) }
        }

        let summary = ShareSummary(hash: hash, previousShare: header.previousShare, height: header.height,
                                   bits: header.bits, timestamp: header.timestamp, payoutScript: header.payoutScript,
                                   sequence: nextSequence)
        return ValidatedShare(share: share, summary: summary, split: split,
                              isBlock: Work.meets(blockHash.rawHash, target: bitcoinTarget))
    }

    /// Whether `split`'s window credits its full capacity `Z` (it stops inside retained history).
    func windowIsFull(_ split: TidesSplit, bitcoinTarget: UInt256) -> Bool {
        guard let z = try? Tides.windowCapacity(networkTarget: bitcoinTarget, multiplier: parameters.tides.windowMultiplier)
        else { return false }
        return split.windowWork >= z
    }

    /// Validates the share a root adopted from peers names (`adopt(root:)`): it must be that
    /// share, at the root's height, on an empty chain, and pass every rule that needs no parent
    /// (`checkWithoutParent`: consensus ID, version, payout script, proof of work, signature…).
    /// Its target, timestamp order and payouts are the trusted part (Docs/PROTOCOL-P2P.md).
    public mutating func validateRoot(_ share: WireShare, now: UInt64) throws(ShareRuleError) -> ValidatedShare {
        guard let root, rootAdoptedFromPeers, index.count == 0, share.hash == root.hash,
              share.header.height == root.height, root.height > 0 else {
            throw .notTheAdoptedRoot
        }
        try checkWithoutParent(share, now: now)
        let bitcoinTarget: UInt256
        do { bitcoinTarget = try share.bitcoinHeader.bits.target() } catch { throw .invalidBits(share.bitcoinHeader.bits) }
        let split: TidesSplit
        do {
            split = try self.split(parent: nil, payoutScript: share.header.payoutScript, bits: share.header.bits,
                                   networkTarget: bitcoinTarget, reward: share.coinbaseValue)
        } catch { throw .payoutSplitFailed("\(error)") }
        return ValidatedShare(share: share, summary: summary(for: share), split: split,
                              isBlock: Work.meets(share.bitcoinHeader.hash.rawHash, target: bitcoinTarget))
    }

    /// The fork-depth policy (`SharechainParameters.maximumForkDepth`, PROTOCOL.md §9): a
    /// share at `height` on `parent` may leave the best chain at most N shares below the
    /// best tip, and its own branch may run at most N shares past the fork point. The
    /// check walks at most 2N index entries; the TIDES window then moves at most 2N shares
    /// to validate it, so no share costs work proportional to the chain's length.
    func checkForkDepth(parentSlot slot: Int32, height: UInt32) throws(ShareRuleError) {
        guard let bestSlot else { return }
        let n = parameters.maximumForkDepth
        let bestHeight = index.nodes[Int(bestSlot)].height
        let top = Swift.max(bestHeight, height)
        // A first share of a new chain forks below height 0.
        guard slot >= 0 else {
            if top + 1 > n { throw .forkTooDeep(depth: top + 1, maximum: n) }
            return
        }
        if slot == bestSlot { return }
        let lowest = top > n ? top - n : 0
        if index.commonAncestorSlot(slot, bestSlot, notBelow: lowest) != nil { return }
        // The chains do not meet at or above `lowest`; when that is height 0 both are
        // young (e.g. two first shares), and the window work is bounded all the same.
        if lowest > 0 { throw .forkTooDeep(depth: top - lowest + 1, maximum: n) }
    }
}

extension Sharechain {
    /// The rules that need no parent, for a share about to wait in the orphan pool: an
    /// orphan is held in memory until its parent arrives, so it must cost its sender real
    /// work. Checks the consensus ID, version, coinbase class, timestamp bound, payout
    /// script, allowlist, that the declared share target is valid and no easier than the
    /// network's maximum share target, that the Bitcoin header's hash meets it (proof of
    /// work), the coinbase height push, and the Ed25519 signature over the share header
    /// (checked last, after the proof of work). The full `validate` runs again when the
    /// parent arrives.
    public func checkWithoutParent(_ share: WireShare, now: UInt64) throws(ShareRuleError) {
        let header = share.header
        guard header.consensusID == consensusID else { throw .wrongConsensusID(header.consensusID) }
        guard header.version == SharechainParameters.shareVersion else { throw .unsupportedVersion(header.version) }
        guard header.coinbaseSizeClass != nil else { throw .unknownCoinbaseSizeClass(header.coinbaseSizeClassID) }
        if header.timestamp > Self.maxTimestamp || header.timestamp > now &+ Self.maxFutureDrift {
            throw .timestampTooFarInFuture(timestamp: header.timestamp, now: now)
        }
        guard Address(scriptPubKey: header.payoutScript) != nil else { throw .nonStandardPayoutScript }
        guard parameters.privateNetwork.allows(header.nodeKey) else { throw .nodeKeyNotAllowed }
        let shareTarget: UInt256
        do { shareTarget = try header.bits.target() } catch { throw .invalidBits(header.bits) }
        do { _ = try share.bitcoinHeader.bits.target() } catch { throw .invalidBits(share.bitcoinHeader.bits) }
        let maximum: UInt256
        do { maximum = try parameters.maximumShareTarget.target() } catch { throw .invalidBits(parameters.maximumShareTarget) }
        guard shareTarget <= maximum else { throw .targetTooEasy(declared: header.bits, required: maximum) }
        guard Work.meets(share.bitcoinHeader.hash.rawHash, target: shareTarget) else { throw .insufficientProofOfWork }
        guard share.coinbaseScriptSig.coinbaseHeight != nil else { throw .missingCoinbaseHeight }
        guard header.isSigned(by: share.signature, hash: header.hash) else {
            throw .badSignature
        }
    }
}
