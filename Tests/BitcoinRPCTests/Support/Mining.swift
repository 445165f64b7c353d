import BitcoinPrimitives
@testable import BitcoinRPC
@testable import DevnetBitcoin

/// Builds and mines coinbase-only blocks for tests (no Sharechain dependency here).
enum TestMiner {
    static let payout = Script([0x00, 0x14] + [UInt8](repeating: 0x5a, count: 20))

    /// A coinbase paying `value` (default: the template's value) with the BIP34
    /// height of `height`, an extra push, and the witness commitment when given.
    static func coinbase(height: Int, value: Amount, commitment: Script?, extra: [UInt8] = [0x74, 0x70],
                         heightScript: Script? = nil) -> Transaction {
        var scriptSig = heightScript ?? Script.coinbaseHeight(height)
        scriptSig.appendPush(extra)
        var outputs = [TxOut(value: value, scriptPubKey: payout)]
        if let commitment { outputs.append(TxOut(value: .zero, scriptPubKey: commitment)) }
        let witness: [[UInt8]] = commitment == nil ? [] : [WitnessCommitment.defaultReservedValue.bytes]
        return Transaction(version: 2, inputs: [TxIn(previousOutput: .null, scriptSig: scriptSig, witness: witness)],
                           outputs: outputs, lockTime: 0)
    }

    /// A block for `template` with the header fields given, nonce ground to meet its bits.
    static func block(for template: BlockTemplate, coinbase: Transaction? = nil, time: UInt32? = nil,
                      bits: CompactTarget? = nil, version: Int32? = nil, extra: [UInt8] = [0x74, 0x70],
                      transactions: [Transaction] = []) -> Block {
        let cb = coinbase ?? Self.coinbase(height: template.height, value: template.coinbaseValue,
                                           commitment: template.defaultWitnessCommitment, extra: extra)
        let txs = [cb] + transactions
        let header = BlockHeader(version: version ?? template.version, prevBlock: template.previousBlockHash,
                                 merkleRoot: Merkle.root(txids: txs.map(\.txid)), time: time ?? template.curtime,
                                 bits: bits ?? template.bits, nonce: 0)
        return Block(header: grind(header), transactions: txs)
    }

    /// The header with the first nonce whose hash meets its bits.
    static func grind(_ header: BlockHeader) -> BlockHeader {
        var h = header
        let target = (try? h.bits.target()) ?? .max
        while !Work.meets(h.hash.rawHash, target: target) { h.nonce &+= 1 }
        return h
    }

    /// The header with the first nonce whose hash misses its bits.
    static func missTarget(_ header: BlockHeader) -> BlockHeader {
        var h = header
        let target = (try? h.bits.target()) ?? .max
        while Work.meets(h.hash.rawHash, target: target) { h.nonce &+= 1 }
        return h
    }

    /// Mines one block on `chain` at `time` and submits it.
    @discardableResult
    static func mine(_ chain: inout DevnetChain, time: UInt32) -> SubmitBlockResult {
        let template = chain.template(now: time)
        return chain.submit(block(for: template, time: time), now: time)
    }
}
