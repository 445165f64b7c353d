import Testing
@testable import BitcoinPrimitives

@Suite struct BlockHeaderTests {
    static func vectors() throws -> HeaderVectors { try Vectors.load("headers") }

    static func header(from v: HeaderVector) throws -> BlockHeader {
        BlockHeader(version: v.version,
                    prevBlock: try #require(BlockHash(displayHex: v.prevBlock)),
                    merkleRoot: try #require(MerkleRoot(displayHex: v.merkleRoot)),
                    time: v.time, bits: try #require(CompactTarget(hex: v.bits)), nonce: v.nonce)
    }

    @Test(arguments: ["genesis", "block100000"])
    func realHeaders(name: String) throws {
        let all = try Self.vectors()
        let v = name == "genesis" ? all.genesis : all.block100000
        let built = try Self.header(from: v)
        #expect(Hex.encode(built.serialized) == v.hex)
        #expect(built.serialized.count == BlockHeader.serializedSize)
        let decoded = try BlockHeader(serialized: bytes(v.hex))
        #expect(decoded == built)
        #expect(decoded.hash.description == v.hash)
        #expect(SHA256d.hash(bytes(v.hex)) == decoded.hash.rawHash)
        let mainnetPowLimit = try #require(UInt256(hex: "00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff"))
        try decoded.checkProofOfWork(powLimit: mainnetPowLimit)
    }

    @Test func genesisCoinbaseIsTheMerkleRoot() throws {
        let v = try Self.vectors().genesis
        let coinbase = try Transaction(serialized: bytes(v.coinbase ?? ""))
        #expect(Merkle.root(txids: [coinbase.txid]).description == v.merkleRoot)
    }

    @Test func proofOfWorkErrors() throws {
        let v = try Self.vectors().genesis
        let limit = try #require(UInt256(hex: "00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff"))
        var h = try BlockHeader(serialized: bytes(v.hex))
        h.nonce &+= 1
        #expect(throws: ProofOfWorkError.hashAboveTarget) { try h.checkProofOfWork(powLimit: limit) }
        h.bits = CompactTarget(rawValue: 0x207f_ffff)
        #expect(throws: ProofOfWorkError.targetAboveLimit) { try h.checkProofOfWork(powLimit: limit) }
        h.bits = CompactTarget(rawValue: 0x0180_0001)
        #expect(throws: ProofOfWorkError.invalidTarget(.zero)) { try h.checkProofOfWork(powLimit: limit) }
        h.bits = CompactTarget(rawValue: 0x1d80_ffff)
        #expect(throws: ProofOfWorkError.invalidTarget(.negative)) { try h.checkProofOfWork(powLimit: limit) }
        h.bits = CompactTarget(rawValue: 0xff00_ffff)
        #expect(throws: ProofOfWorkError.invalidTarget(.overflow)) { try h.checkProofOfWork(powLimit: limit) }
        // Regtest's limit accepts its easiest target for almost any hash.
        let regtestLimit = try #require(UInt256(hex: "7fffff0000000000000000000000000000000000000000000000000000000000"))
        var easy = h
        easy.bits = CompactTarget(rawValue: 0x207f_ffff)
        var found = false
        for nonce in UInt32(0)..<64 {
            easy.nonce = nonce
            if (try? easy.checkProofOfWork(powLimit: regtestLimit)) != nil { found = true; break }
        }
        #expect(found)
    }

    @Test func wrongLengths() {
        #expect(throws: ConsensusDecodingError.truncated(offset: 0, needed: 1)) {
            try BlockHeader(serialized: [UInt8](repeating: 0, count: 79))
        }
        #expect(throws: ConsensusDecodingError.trailingBytes(count: 1)) {
            try BlockHeader(serialized: [UInt8](repeating: 0, count: 81))
        }
    }
}

@Suite struct BlockTests {
    @Test func genesisBlock() throws {
        let v = try Vectors.load("headers", as: HeaderVectors.self).genesis
        let raw = bytes(v.block ?? "")
        #expect(!raw.isEmpty)
        let block = try Block(serialized: raw)
        #expect(block.hash.description == v.hash)
        #expect(block.transactions.count == 1)
        #expect(block.transactions[0].isCoinbase)
        #expect(block.computedMerkleRoot.root == block.header.merkleRoot)
        #expect(!block.computedMerkleRoot.mutated)
        #expect(block.witnessCommitment == nil)
        #expect(block.serialized == raw)
    }

    /// A segwit block assembled from real transactions: the commitment placed in the
    /// coinbase is found again and matches the recomputation.
    @Test func witnessCommitmentRoundTrip() throws {
        let txs = try Vectors.load("transactions", as: TransactionVectors.self).transactions
        let spendVector = try #require(txs.first { $0.name.contains("f5864806") })
        let multiVector = try #require(txs.first { $0.name.contains("multisig") })
        let spend = try Transaction(serialized: bytes(spendVector.hex))
        let multi = try Transaction(serialized: bytes(multiVector.hex))
        var coinbase = Transaction(
            version: 1,
            inputs: [TxIn(previousOutput: .null, scriptSig: .coinbaseHeight(1000),
                          witness: [[UInt8](repeating: 0, count: 32)])],
            outputs: [TxOut(value: Amount(satoshis: Int64(5_000_000_000))!, scriptPubKey: .payToWitnessPubKeyHash([UInt8](repeating: 1, count: 20)))],
            lockTime: 0)
        let root = WitnessCommitment.witnessMerkleRoot(nonCoinbaseWtxids: [spend.wtxid, multi.wtxid])
        let commitment = WitnessCommitment.commitment(witnessRoot: root)
        coinbase.outputs.append(TxOut(value: .zero, scriptPubKey: WitnessCommitment.outputScript(commitment: commitment)))
        #expect(WitnessCommitment.outputScript(commitment: commitment).bytes.count == 38)
        #expect(WitnessCommitment.outputScript(commitment: commitment).hex.hasPrefix("6a24aa21a9ed"))

        let all = [coinbase, spend, multi]
        let header = BlockHeader(version: 0x2000_0000, prevBlock: BlockHash(rawHash: .zero),
                                 merkleRoot: Merkle.root(txids: all.map(\.txid)), time: 1_700_000_000,
                                 bits: CompactTarget(rawValue: 0x207f_ffff), nonce: 0)
        let block = Block(header: header, transactions: all)
        #expect(block.witnessCommitment == commitment)
        #expect(block.computedWitnessCommitment == commitment)
        #expect(WitnessCommitment.witnessMerkleRoot(blockWtxids: all.map(\.wtxid)) == root)
        #expect(root == Merkle.root(of: [.zero, spend.wtxid.rawHash, multi.wtxid.rawHash]))
        #expect(block.computedMerkleRoot.root == header.merkleRoot)
        let decoded = try Block(serialized: block.serialized)
        #expect(decoded == block)
        // The Stratum path: coinbase txid + branch gives the header's root.
        let branch = Merkle.coinbaseBranch(nonCoinbaseTxids: [spend.txid, multi.txid])
        #expect(Merkle.root(coinbaseTxid: coinbase.txid, branch: branch) == header.merkleRoot)
    }

    @Test func commitmentPatternNeedsFullLength() {
        let short = Script(bytes("6a24aa21a9ed" + String(repeating: "00", count: 31)))
        #expect(WitnessCommitment.commitment(in: short) == nil)
        let long = Script(bytes("6a24aa21a9ed" + String(repeating: "11", count: 32) + "ff"))
        #expect(WitnessCommitment.commitment(in: long) == Hash256(internalHex: String(repeating: "11", count: 32)))
    }
}
