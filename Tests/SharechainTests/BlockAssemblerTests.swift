import BitcoinPrimitives
import Sharechain
import TIDES
import Testing

@Suite struct BlockAssemblerTests {
    /// A non-coinbase transaction; with `segwit`, its input has a two-item witness.
    static func spend(_ n: UInt8, segwit: Bool) -> Transaction {
        let input = TxIn(previousOutput: OutPoint(txid: Txid(rawHash: filledHash(n)), index: 1),
                         scriptSig: segwit ? Script() : Script([0x01, n]), sequence: 0xffff_fffd,
                         witness: segwit ? [[UInt8](repeating: n, count: 71), [0x02] + [UInt8](repeating: n, count: 32)] : [])
        return Transaction(version: 2, inputs: [input], outputs: [TxOut(value: sat(10_000), scriptPubKey: wpkh(n))],
                           lockTime: 0)
    }

    static func template(witnessCommitment: Script) throws -> CoinbaseTemplate {
        try CoinbaseTemplate(bitcoinHeight: 200, coinbaseValue: sat(5_000_001_000), witnessCommitment: witnessCommitment,
                             nodeTag: Array("/tidepool/".utf8),
                             payouts: [PayoutEntry(script: wpkh(7), amount: sat(5_000_000_000)),
                                       PayoutEntry(script: taproot(8), amount: sat(1_000))],
                             shareHash: ShareHash(rawHash: filledHash(0x77)))
    }

    static func header(root: MerkleRoot) -> BlockHeader {
        BlockHeader(version: 0x2000_0000, prevBlock: BlockHash(rawHash: filledHash(0x66)), merkleRoot: root,
                    time: 1_700_000_000, bits: CompactTarget(rawValue: 0x207f_ffff), nonce: 3)
    }

    @Test func segwitBlockRoundTripsWithItsWitnessCommitment() throws {
        let others = [Self.spend(1, segwit: true)]
        let witnessRoot = WitnessCommitment.witnessMerkleRoot(nonCoinbaseWtxids: others.map(\.wtxid))
        let commitment = WitnessCommitment.commitment(witnessRoot: witnessRoot)
        let template = try Self.template(witnessCommitment: WitnessCommitment.outputScript(commitment: commitment))
        let coinbase = try template.transaction(extranonce1: [1, 2, 3, 4], extranonce2: [5, 6, 7, 8, 9, 10, 11, 12])
        let header = Self.header(root: Merkle.root(txids: [coinbase.txid] + others.map(\.txid)))

        let bytes = try BlockAssembler.serializedBlock(header: header, coinbase: coinbase, transactions: others)
        let block = try Block(serialized: bytes)
        #expect(block.header == header)
        #expect(block.transactions.count == 2)
        #expect(block.computedMerkleRoot.root == header.merkleRoot)
        #expect(!block.computedMerkleRoot.mutated)
        #expect(block.transactions[0].inputs[0].witness == [[UInt8](repeating: 0, count: 32)])
        #expect(block.transactions[0].txid == coinbase.txid)
        #expect(block.witnessCommitment == commitment)
        #expect(block.computedWitnessCommitment == commitment)
        #expect(block.transactions[1] == others[0])
    }

    @Test func blockWithoutWitnessCommitmentHasALegacyCoinbase() throws {
        let others = [Self.spend(1, segwit: false), Self.spend(2, segwit: false), Self.spend(3, segwit: false)]
        let template = try Self.template(witnessCommitment: Script())
        let coinbase = try template.transaction(extranonce1: [0, 0, 0, 1], extranonce2: [UInt8](repeating: 0, count: 8))
        let header = Self.header(root: Merkle.root(txids: [coinbase.txid] + others.map(\.txid)))
        let block = try Block(serialized: BlockAssembler.serializedBlock(header: header, coinbase: coinbase,
                                                                         transactions: others))
        #expect(block.transactions[0] == coinbase)
        #expect(!block.transactions[0].hasWitness)
        #expect(block.witnessCommitment == nil)
        #expect(block.computedMerkleRoot.root == header.merkleRoot)
    }

    @Test func coinbaseOnlyBlock() throws {
        let template = try Self.template(witnessCommitment: Script())
        let coinbase = try template.transaction(extranonce1: [0, 0, 0, 1], extranonce2: [UInt8](repeating: 0, count: 8))
        let header = Self.header(root: MerkleRoot(rawHash: coinbase.txid.rawHash))
        let block = try BlockAssembler.block(header: header, coinbase: coinbase, transactions: [])
        #expect(block.transactions == [coinbase])
    }

    @Test func wrongMerkleRootIsRejected() throws {
        let template = try Self.template(witnessCommitment: Script())
        let coinbase = try template.transaction(extranonce1: [0, 0, 0, 1], extranonce2: [UInt8](repeating: 0, count: 8))
        let others = [Self.spend(1, segwit: false)]
        let right = Merkle.root(txids: [coinbase.txid] + others.map(\.txid))
        let wrong = MerkleRoot(rawHash: filledHash(0x01))
        #expect(throws: BlockAssemblyError.merkleRootMismatch(header: wrong, computed: right)) {
            try BlockAssembler.serializedBlock(header: Self.header(root: wrong), coinbase: coinbase, transactions: others)
        }
    }

    @Test func wrongWitnessCommitmentIsRejected() throws {
        let template = try Self.template(witnessCommitment: sampleWitnessCommitment)
        let coinbase = try template.transaction(extranonce1: [0, 0, 0, 1], extranonce2: [UInt8](repeating: 0, count: 8))
        let others = [Self.spend(1, segwit: true)]
        let header = Self.header(root: Merkle.root(txids: [coinbase.txid] + others.map(\.txid)))
        let computed = WitnessCommitment.commitment(
            witnessRoot: WitnessCommitment.witnessMerkleRoot(nonCoinbaseWtxids: others.map(\.wtxid)))
        #expect(throws: BlockAssemblyError.witnessCommitmentMismatch(coinbase: filledHash(0x5a), computed: computed)) {
            try BlockAssembler.block(header: header, coinbase: coinbase, transactions: others)
        }
    }

    @Test func witnessWithoutCommitmentIsRejected() throws {
        let template = try Self.template(witnessCommitment: Script())
        let coinbase = try template.transaction(extranonce1: [0, 0, 0, 1], extranonce2: [UInt8](repeating: 0, count: 8))
        let others = [Self.spend(1, segwit: true)]
        let header = Self.header(root: Merkle.root(txids: [coinbase.txid] + others.map(\.txid)))
        #expect(throws: BlockAssemblyError.unexpectedWitness) {
            try BlockAssembler.block(header: header, coinbase: coinbase, transactions: others)
        }
    }

    @Test func mutatedTreeAndNonCoinbaseAreRejected() throws {
        let template = try Self.template(witnessCommitment: Script())
        let coinbase = try template.transaction(extranonce1: [0, 0, 0, 1], extranonce2: [UInt8](repeating: 0, count: 8))
        let a = Self.spend(1, segwit: false), b = Self.spend(2, segwit: false)
        let duplicated = [a, b, b]
        let header = Self.header(root: Merkle.root(txids: [coinbase.txid] + duplicated.map(\.txid)))
        #expect(throws: BlockAssemblyError.mutatedMerkleTree) {
            try BlockAssembler.block(header: header, coinbase: coinbase, transactions: duplicated)
        }
        #expect(throws: BlockAssemblyError.notACoinbase) {
            try BlockAssembler.block(header: Self.header(root: MerkleRoot(rawHash: a.txid.rawHash)), coinbase: a,
                                     transactions: [])
        }
    }

    @Test func blockCoinbaseAddsTheReservedValueOnlyWithACommitment() throws {
        let en2 = [UInt8](repeating: 0, count: 8)
        let with = try Self.template(witnessCommitment: sampleWitnessCommitment).transaction(extranonce1: [1, 1, 1, 1], extranonce2: en2)
        let without = try Self.template(witnessCommitment: Script()).transaction(extranonce1: [1, 1, 1, 1], extranonce2: en2)
        let added = BlockAssembler.blockCoinbase(with)
        #expect(added.inputs[0].witness == [[UInt8](repeating: 0, count: 32)])
        #expect(added.txid == with.txid && added.wtxid != with.wtxid)
        #expect(BlockAssembler.blockCoinbase(without) == without)
        #expect(BlockAssembler.blockCoinbase(added) == added)
    }
}
