import BitcoinPrimitives
import BitcoinRPC

extension DevnetParameters {
    /// The genesis block, derived deterministically from the parameters: one coinbase
    /// (scriptSig `OP_0` + the text "Tidepool devnet genesis", one 50 BTC output to
    /// `OP_TRUE`), version 1, `genesisTime`, bits of `powLimit`, and the first nonce
    /// from 0 up whose hash meets that target (a couple of tries at regtest's limit).
    public var genesisBlock: Block {
        var scriptSig = Script()
        scriptSig.append(.op0)
        scriptSig.appendPush(Array("Tidepool devnet genesis".utf8))
        let coinbase = Transaction(
            version: 1,
            inputs: [TxIn(previousOutput: .null, scriptSig: scriptSig)],
            outputs: [TxOut(value: subsidy(height: 0), scriptPubKey: Script([Opcode.op1.rawValue]))],
            lockTime: 0)
        var header = BlockHeader(version: 1, prevBlock: BlockHash(rawHash: .zero),
                                 merkleRoot: Merkle.root(txids: [coinbase.txid]), time: genesisTime,
                                 bits: CompactTarget(target: powLimit), nonce: 0)
        let target = (try? header.bits.target()) ?? powLimit
        while !Work.meets(header.hash.rawHash, target: target) { header.nonce += 1 }
        return Block(header: header, transactions: [coinbase])
    }
}
