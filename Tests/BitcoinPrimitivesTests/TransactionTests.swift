import Testing
@testable import BitcoinPrimitives

@Suite struct TransactionTests {
    static func vectors() throws -> [TransactionVector] {
        try Vectors.load("transactions", as: TransactionVectors.self).transactions
    }

    /// Real transactions decode, hash to their published txid and wtxid, and re-encode
    /// to the same bytes.
    @Test func realTransactions() throws {
        for v in try Self.vectors() {
            let raw = bytes(v.hex)
            let tx = try Transaction(serialized: raw)
            #expect(tx.txid.description == v.txid, "\(v.name)")
            #expect(tx.wtxid.description == v.wtxid, "\(v.name)")
            #expect(tx.hasWitness == v.segwit, "\(v.name)")
            #expect(tx.isCoinbase == v.coinbase, "\(v.name)")
            #expect(tx.serialized == raw, "\(v.name)")
            if let w = v.weight { #expect(tx.weight == w, "\(v.name)") }
            // The legacy form decodes to the same transaction minus witnesses.
            let legacy = try Transaction(serialized: tx.serialized(includingWitness: false))
            #expect(legacy.txid == tx.txid)
            #expect(legacy.wtxid.rawHash == tx.txid.rawHash)
            #expect(!legacy.hasWitness)
            if let height = v.height {
                #expect(tx.inputs[0].scriptSig.coinbaseHeight == height)
            }
            if let c = v.witnessCommitment {
                #expect(WitnessCommitment.commitment(inCoinbase: tx)?.displayHexInternalOrder == c)
            }
        }
    }

    @Test func segwitFields() throws {
        let v = try #require(try Self.vectors().first { $0.name.contains("f5864806") })
        let tx = try Transaction(serialized: bytes(v.hex))
        #expect(tx.version == 2)
        #expect(tx.lockTime == 0)
        #expect(tx.inputs.count == 1)
        #expect(tx.inputs[0].previousOutput.txid.description == "7cac3cf9a112cf04901a51d605058615d56ffe6d04b45270e89d1720ea955859")
        #expect(tx.inputs[0].previousOutput.index == 1)
        #expect(tx.inputs[0].scriptSig.bytes.isEmpty)
        #expect(tx.inputs[0].witness.map(\.count) == [72, 33])
        #expect(tx.outputs.count == 1)
        #expect(tx.outputs[0].value.satoshis == 506_078)
        #expect(tx.outputs[0].scriptPubKey.template == .payToScriptHash(hash: bytes("0f3444e271620c736808aa7b33e370bd87cb5a07")))
    }

    @Test func genesisCoinbaseFields() throws {
        let v = try #require(try Self.vectors().first { $0.name.contains("genesis") })
        let tx = try Transaction(serialized: bytes(v.hex))
        #expect(tx.inputs[0].previousOutput == .null)
        #expect(tx.inputs[0].previousOutput.isNull)
        #expect(tx.outputs[0].value.satoshis == 5_000_000_000)
        let text = String(decoding: tx.inputs[0].scriptSig.bytes.dropFirst(8), as: UTF8.self)
        #expect(text == "The Times 03/Jan/2009 Chancellor on brink of second bailout for banks")
    }

    @Test func outputValuesMustBeValidAmounts() throws {
        let v = try #require(try Self.vectors().first { $0.name.contains("genesis") })
        var raw = bytes(v.hex)
        // The output value ends where the 1-byte script length, 67-byte script and lock time begin.
        let valueOffset = raw.count - 4 - 67 - 1 - 8
        for (i, b) in [UInt8](repeating: 0xff, count: 8).enumerated() { raw[valueOffset + i] = b }  // -1 sat
        #expect(throws: ConsensusDecodingError.invalidValue(offset: valueOffset, reason: "output value -1 outside 0...MAX_MONEY")) {
            try Transaction(serialized: raw)
        }
        var tooMuch = ByteWriter()
        tooMuch.writeLittleEndian(Amount.maxMoney.satoshis + 1)
        for (i, b) in tooMuch.bytes.enumerated() { raw[valueOffset + i] = b }
        #expect(throws: ConsensusDecodingError.self) { try Transaction(serialized: raw) }
    }

    @Test func segwitFlagAndSuperfluousWitness() throws {
        // version 1, marker, flag 0x02: unknown optional data.
        #expect(throws: ConsensusDecodingError.invalidValue(offset: 5, reason: "unknown transaction flag 2")) {
            try Transaction(serialized: bytes("0100000000020000000000"))
        }
        // A segwit encoding whose only witness is empty is rejected.
        let input = "01" + String(repeating: "11", count: 32) + "00000000" + "00" + "ffffffff"
        let body = "01000000" + "0001" + input + "00" + "00" + "00000000"
        #expect(throws: ConsensusDecodingError.invalidValue(offset: 49, reason: "superfluous witness record")) {
            try Transaction(serialized: bytes(body))
        }
        // The same with a one-item witness is fine and round-trips.
        let withWitness = "01000000" + "0001" + input + "00" + "0101aa" + "00000000"
        let tx = try Transaction(serialized: bytes(withWitness))
        #expect(tx.inputs[0].witness == [[0xaa]])
        #expect(Hex.encode(tx.serialized) == withWitness)
    }

    @Test func buildAndRoundTrip() throws {
        let coinbase = Transaction(
            version: 2,
            inputs: [TxIn(previousOutput: .null, scriptSig: Script.coinbaseHeight(840_000).appendingPush(bytes("c0ffee")),
                          sequence: TxIn.finalSequence, witness: [[UInt8](repeating: 0, count: 32)])],
            outputs: [TxOut(value: Amount(satoshis: Int64(312_500_000))!, scriptPubKey: .payToTaproot(outputKey: [UInt8](repeating: 7, count: 32))),
                      TxOut(value: .zero, scriptPubKey: WitnessCommitment.outputScript(commitment: .zero))],
            lockTime: 0)
        #expect(coinbase.isCoinbase)
        #expect(coinbase.hasWitness)
        let decoded = try Transaction(serialized: coinbase.serialized)
        #expect(decoded == coinbase)
        #expect(decoded.inputs[0].scriptSig.coinbaseHeight == 840_000)
        #expect(coinbase.txid.rawHash != coinbase.wtxid.rawHash)
        // Weight: 3 × stripped size + full size.
        let stripped = coinbase.serialized(includingWitness: false).count
        #expect(coinbase.weight == 3 * stripped + coinbase.serialized.count)
        var twoInputs = coinbase
        twoInputs.inputs.append(TxIn(previousOutput: OutPoint(txid: coinbase.txid, index: 0)))
        #expect(!twoInputs.isCoinbase)
    }
}

extension Hash256 {
    /// The hex of the internal bytes (how the commitment appears inside the script).
    var displayHexInternalOrder: String { internalHex }
}
