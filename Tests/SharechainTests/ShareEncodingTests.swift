import BitcoinPrimitives
import Ed25519
import Sharechain
import TIDES
import Testing

/// ShareHeader, WireShare and ShareSummary bytes against `Vectors/share_encoding.json`,
/// computed independently by `Vectors/generate_vectors.py` from the documented layouts.
@Suite struct ShareEncodingTests {
    let v: ShareEncodingVector
    let key: SigningKey

    init() throws {
        v = try SharechainVectors.load("share_encoding", as: ShareEncodingVector.self)
        key = try #require(SigningKey(rawRepresentation: hexBytes(v.seed)))
    }

    var header: ShareHeader {
        ShareHeader(version: v.version, consensusID: ConsensusID(rawHash: Hash256(internalHex: v.consensusId)!),
                    previousShare: ShareHash(rawHash: Hash256(internalHex: v.prevShare)!), height: v.height,
                    bits: CompactTarget(rawValue: v.bits), timestamp: v.timestamp,
                    coinbaseSizeClass: CoinbaseSizeClass(rawValue: v.coinbaseClass)!,
                    payoutScript: Script(hex: v.payoutScript)!, nodeKey: key.publicKey)
    }

    var bitcoinHeader: BlockHeader {
        let b = v.bitcoinHeader
        return BlockHeader(version: b.version, prevBlock: BlockHash(rawHash: Hash256(internalHex: b.prevBlock)!),
                           merkleRoot: MerkleRoot(rawHash: Hash256(internalHex: b.merkleRoot)!), time: b.time,
                           bits: CompactTarget(rawValue: b.bits), nonce: b.nonce)
    }

    var wireShare: WireShare {
        WireShare(header: header, signature: key.sign(header.signingMessage), bitcoinHeader: bitcoinHeader,
                  coinbaseScriptSig: Script(hex: v.scriptSig)!, coinbaseValue: sat(v.coinbaseValue),
                  witnessCommitment: Script(hex: v.witnessCommitment)!,
                  merkleBranch: v.merkleBranch.map { Hash256(internalHex: $0)! })
    }

    var summary: ShareSummary { ShareSummary(wireShare, sequence: v.sequence) }

    @Test func fixedKey() {
        #expect(key.publicKey.hex == v.nodeKey)
        #expect(key == fixedNodeKey)
    }

    @Test func shareHeaderBytes() {
        #expect(Hex.encode(header.serialized) == v.headerHex)
        #expect(header.hash.rawHash.internalHex == v.shareHash)
        #expect(Hex.encode(header.signingMessage) == v.signingMessage)
    }

    @Test func shareHeaderVersion2DeclaresItsClass() throws {
        #expect(v.version == 2 && v.version == SharechainParameters.shareVersion)
        #expect(header.coinbaseSizeClass == .bytes730)
        // The class byte sits right after the timestamp: 4 + 32 + 32 + 4 + 4 + 8 = offset 84.
        #expect(hexBytes(v.headerHex)[84] == v.coinbaseClass)
        // Every class round-trips; an unknown id decodes (validation refuses it, typed).
        for c in CoinbaseSizeClass.allCases {
            var h = header
            h.coinbaseSizeClass = c
            #expect(try ShareHeader(serialized: h.serialized).coinbaseSizeClass == c)
        }
        var unknown = hexBytes(v.headerHex)
        unknown[84] = 0xee
        let decoded = try ShareHeader(serialized: unknown)
        #expect(decoded.coinbaseSizeClassID == 0xee && decoded.coinbaseSizeClass == nil)
        #expect(decoded.hash != header.hash)
    }

    @Test func deterministicSignature() throws {
        let sig = key.sign(header.signingMessage)
        #expect(sig.hex == v.signature)
        let expected = try #require(Signature(hex: v.signature))
        #expect(header.nodeKey.isValidSignature(expected, for: header.signingMessage))
    }

    @Test func wireShareBytes() {
        #expect(Hex.encode(bitcoinHeader.serialized) == v.bitcoinHeader.hex)
        #expect(Hex.encode(wireShare.serialized) == v.wireHex)
    }

    @Test func summaryBytes() {
        #expect(Hex.encode(summary.serialized) == v.summaryHex)
    }

    /// `serialized` reserves the size hint once: it must cover the encoding (a store commit
    /// serializes every share and summary), and not be far above it.
    @Test func sizeHintsCoverTheEncoding() {
        var branchy = wireShare
        branchy.merkleBranch = [Hash256](repeating: wireShare.bitcoinHeader.prevBlock.rawHash, count: 12)
        for share in [wireShare, branchy] {
            #expect(share.encodedSizeHint >= share.serialized.count)
            #expect(share.encodedSizeHint <= share.serialized.count + 512)
        }
        #expect(summary.encodedSizeHint >= summary.serialized.count)
        #expect(summary.encodedSizeHint <= summary.serialized.count + 64)
        #expect(wireShare.header.encodedSizeHint == wireShare.header.serialized.count)  // exact: hashed per share
    }

    /// The vector's Bitcoin header commits to the coinbase Python built for these payouts.
    @Test func vectorShareRebuildsToItsMerkleRoot() throws {
        let payouts = v.payouts.map(\.entry)
        let coinbase = try CoinbaseBuilder.coinbase(for: wireShare, payouts: payouts)
        #expect(coinbase.txid.description == v.coinbaseTxid)
        #expect(try CoinbaseBuilder.merkleRoot(for: wireShare, payouts: payouts) == wireShare.bitcoinHeader.merkleRoot)
        #expect(wireShare.bitcoinHeight == 840_000)
    }

    @Test func decodingTheVectorsGivesTheValues() throws {
        #expect(try ShareHeader(serialized: hexBytes(v.headerHex)) == header)
        #expect(try WireShare(serialized: hexBytes(v.wireHex)) == wireShare)
        #expect(try ShareSummary(serialized: hexBytes(v.summaryHex)) == summary)
    }

    @Test func everyTruncationFailsCleanly() {
        #expect(everyTruncationFails(hexBytes(v.headerHex), as: ShareHeader.self).isEmpty)
        #expect(everyTruncationFails(hexBytes(v.wireHex), as: WireShare.self).isEmpty)
        #expect(everyTruncationFails(hexBytes(v.summaryHex), as: ShareSummary.self).isEmpty)
    }

    @Test func trailingBytesAreRejected() {
        #expect(throws: ConsensusDecodingError.trailingBytes(count: 1)) {
            try ShareHeader(serialized: hexBytes(v.headerHex) + [0])
        }
        #expect(throws: ConsensusDecodingError.trailingBytes(count: 1)) {
            try WireShare(serialized: hexBytes(v.wireHex) + [0])
        }
        #expect(throws: ConsensusDecodingError.trailingBytes(count: 1)) {
            try ShareSummary(serialized: hexBytes(v.summaryHex) + [0])
        }
    }
}

/// Round trips over varied field values.
@Suite struct ShareRoundTripTests {
    static let payoutScripts: [Script] = [Script(), wpkh(3), taproot(4),
                                          Script([0x5a, 0x28] + [UInt8](repeating: 9, count: 40))]

    @Test(arguments: payoutScripts)
    func shareHeaderRoundTrips(_ script: Script) throws {
        for height: UInt32 in [0, 1, .max] {
            var h = sampleShareHeader(key: SigningKey.generate(), payoutScript: script, height: height)
            h.timestamp = UInt64(height) << 20
            h.version = height
            #expect(try ShareHeader(serialized: h.serialized) == h)
        }
    }

    @Test(arguments: [0, 1, 5, WireShare.maxMerkleBranchLength])
    func wireShareRoundTrips(branchLength: Int) throws {
        for (scriptSigSize, wc) in [(2, Script()), (100, sampleWitnessCommitment), (41, sampleWitnessCommitment)] {
            let share = sampleWireShare(header: sampleShareHeader(payoutScript: taproot(UInt8(branchLength))),
                                        merkleRoot: MerkleRoot(rawHash: filledHash(0x3c)),
                                        scriptSig: Script([UInt8](repeating: 0x61, count: scriptSigSize)),
                                        value: branchLength == 0 ? .zero : .maxMoney, witnessCommitment: wc,
                                        branch: (0..<branchLength).map { filledHash(UInt8($0)) })
            let bytes = share.serialized
            #expect(bytes.count <= WireShare.maxEncodedSize)
            #expect(try WireShare(serialized: bytes) == share)
            #expect(everyTruncationFails(bytes, as: WireShare.self).isEmpty)
        }
    }

    @Test(arguments: payoutScripts)
    func shareSummaryRoundTrips(_ script: Script) throws {
        for sequence: UInt64 in [0, 42, .max] {
            let s = ShareSummary(hash: ShareHash(rawHash: filledHash(1)), previousShare: .none, height: 9,
                                 bits: CompactTarget(rawValue: 0x207f_ffff), timestamp: sequence / 3,
                                 payoutScript: script, sequence: sequence)
            #expect(try ShareSummary(serialized: s.serialized) == s)
            #expect(everyTruncationFails(s.serialized, as: ShareSummary.self).isEmpty)
        }
    }
}
