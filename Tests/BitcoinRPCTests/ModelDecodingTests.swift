import JSON
import BitcoinPrimitives
import Testing
@testable import BitcoinRPC
@testable import DevnetBitcoin

@Suite struct ModelDecodingTests {
    @Test func mainnetTemplateDecodesWithTransactions() throws {
        let json = try vector("getblocktemplate-mainnet")
        let expected = try vector("getblocktemplate-mainnet.expected")
        let t = try BlockTemplate(json: #require(json["result"]))
        #expect(t.version == 0x2000_0000)
        #expect(t.height == 840_000)
        #expect(t.bits == CompactTarget(rawValue: 0x1703_4219))
        #expect(t.target == (try t.bits.target()))
        #expect(t.coinbaseValue.satoshis == 312_512_250)
        #expect(t.curtime == 1_713_573_000 && t.mintime == 1_713_571_530)
        #expect(t.previousBlockHash.description == "0000000000000000000172014ba58d66455762add0512355ad651207918494ab")
        #expect(t.rules == ["csv", "!segwit", "taproot"])
        #expect(t.longPollID?.hasSuffix("1234") == true)
        #expect(t.transactions.count == 2)
        #expect(t.transactions[0].txid.description == expected["legacy_txid"]?.stringValue)
        #expect(t.transactions[0].fee.satoshis == 11250)
        #expect(t.transactions[1].txid.description == expected["segwit_txid"]?.stringValue)
        #expect(t.transactions[1].wtxid.description == expected["segwit_wtxid"]?.stringValue)
        #expect(t.transactions[1].transaction.hasWitness)
        #expect(t.totalFees.satoshis == 12250)
        // The commitment bitcoind sent is the one the transactions give.
        let root = WitnessCommitment.witnessMerkleRoot(nonCoinbaseWtxids: t.transactions.map(\.wtxid))
        let commitment = WitnessCommitment.commitment(witnessRoot: root)
        #expect(t.defaultWitnessCommitment == WitnessCommitment.outputScript(commitment: commitment))
        #expect(commitment.internalHex == expected["expected_commitment"]?.stringValue)
    }

    @Test func regtestTemplateAndRoundTrip() throws {
        let t = try BlockTemplate(json: #require(try vector("getblocktemplate-regtest")["result"]))
        #expect(t.height == 1 && t.transactions.isEmpty)
        #expect(t.bits.hex == "207fffff")
        #expect(t.coinbaseValue.satoshis == 5_000_000_000)
        #expect(try BlockTemplate(json: t.json) == t)
    }

    @Test func templateWithWrongTxidIsRejected() throws {
        var json = try #require(try vector("getblocktemplate-mainnet")["result"]?.dictionaryValue)
        var txs = try #require(json["transactions"]?.arrayValue)
        var first = try #require(txs[0].dictionaryValue)
        first["txid"] = .string(String(repeating: "0", count: 64))
        txs[0] = .sortedObject(first)
        json["transactions"] = .array(txs)
        #expect(throws: RPCError.self) { try BlockTemplate(json: .sortedObject(json)) }
        json.removeValue(forKey: "bits")
        #expect(throws: RPCError.malformedResponse("getblocktemplate: missing field 'bits'")) {
            try BlockTemplate(json: .sortedObject(json))
        }
    }

    @Test func blockchainInfo() throws {
        let main = try BlockchainInfo(json: #require(try vector("getblockchaininfo-mainnet")["result"]))
        #expect(main.chain == "main" && main.network == .mainnet)
        #expect(main.blocks == 840_000 && main.headers == 840_000 && !main.initialBlockDownload && !main.isDevnet)
        #expect(main.bestBlockHash.description == "0000000000000000000320283a032748cef8227873ff4872689bf23f1cda83a5")
        let ibd = try BlockchainInfo(json: #require(try vector("getblockchaininfo-ibd")["result"]))
        #expect(ibd.network == .testnet4 && ibd.initialBlockDownload && ibd.headers == 62000)
    }

    @Test func errorAnswersMapToTypedErrors() throws {
        let warmup = try vector("error-warmup")
        let error = try #require(warmup["error"])
        let rpc = RPCError.server(code: Int(try #require(error["code"]?.integerValue)),
                                  message: try #require(error["message"]?.stringValue))
        #expect(rpc.isWarmingUp && rpc.isTransient && !rpc.isInInitialDownload)
        #expect(RPCError.server(code: -10, message: "in IBD").isInInitialDownload)
        #expect(RPCError.unauthorized.description.contains("check cookie / user / password"))
    }

    @Test func submitBlockResults() throws {
        #expect(try SubmitBlockResult(json: .null) == .accepted)
        #expect(try SubmitBlockResult(json: "duplicate") == .duplicate)
        #expect(try SubmitBlockResult(json: "duplicate-invalid") == .duplicateInvalid)
        #expect(try SubmitBlockResult(json: "duplicate-inconclusive") == .duplicateInconclusive)
        #expect(try SubmitBlockResult(json: "inconclusive") == .inconclusive)
        #expect(try SubmitBlockResult(json: "high-hash") == .rejected("high-hash"))
        #expect(throws: RPCError.self) { try SubmitBlockResult(json: 5) }
        for r in [SubmitBlockResult.accepted, .duplicate, .inconclusive, .rejected("bad-cb-amount")] {
            #expect(try SubmitBlockResult(json: r.json) == r)
        }
    }

    @Test func jsonValues() throws {
        // The codec itself is tested in JSONTests; here, the sorted form the RPC client sends.
        let v = try JSONParser.parse(Array(#"{"b":-9007199254740993,"a":[1,2.5,true,null,"x"]}"#.utf8))
        #expect(v["a"] == [1, .double(2.5), true, nil, "x"])
        #expect(v["b"]?.integerValue == -9_007_199_254_740_993)
        #expect(try JSONParser.parse(v.rpcSerialized) == v.sortingKeys())
        #expect(String(decoding: v.rpcSerialized, as: UTF8.self) == #"{"a":[1,2.5,true,null,"x"],"b":-9007199254740993}"#)
        #expect((try? JSONParser.parse(Array("{nope".utf8))) == nil)
    }

    @Test func configurationFromURL() throws {
        let creds = RPCCredentials.userPassword(user: "u", password: "p")
        let c = try #require(BitcoinRPCConfiguration(url: "http://10.0.0.2:18443/wallet/w", credentials: creds,
                                                    network: .regtest))
        #expect(c.host == "10.0.0.2" && c.port == 18443 && c.path == "/wallet/w")
        #expect(BitcoinRPCConfiguration(url: "localhost", credentials: creds, network: .mainnet)?.port == 8332)
        #expect(BitcoinRPCConfiguration(url: "https://x", credentials: creds, network: .mainnet) == nil)
        #expect(BitcoinRPCConfiguration(url: "[::1]:38332", credentials: creds, network: .signet)?.host == "::1")
        #expect(BitcoinRPCConfiguration(url: "h", credentials: creds, network: .signet)?.templateRules
            == ["segwit", "signet"])
    }
}
