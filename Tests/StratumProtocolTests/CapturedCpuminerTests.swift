import BitcoinPrimitives
import Foundation
import Sharechain
import Testing
@testable import StratumProtocol

/// A real cpuminer 2.5.1 conversation with a Tidepool node on regtest (Bitcoin Core 29.2),
/// captured byte for byte by a logging proxy on 2026-12-01
/// (Vectors/cpuminer-2.5.1-captured.jsonl: `{"t", "dir": "miner"|"pool", "line"}`).
/// Replayed through a fresh `StratumSession`: the handshake answers are the captured
/// bytes, every job is rebuilt from its captured `mining.notify`, and every share cpuminer
/// submitted is rebuilt into a header whose hash meets the difficulty the node had set.
@Suite("cpuminer 2.5.1, captured against a real node")
struct CapturedCpuminerTests {
    struct Entry { var fromMiner: Bool; var line: String }

    func load() throws -> [Entry] {
        let url = try #require(Bundle.module.url(forResource: "cpuminer-2.5.1-captured", withExtension: "jsonl",
                                                 subdirectory: "Vectors"))
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { raw in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any])
            let line = try #require(object["line"] as? String)
            return Entry(fromMiner: object["dir"] as? String == "miner", line: line)
        }
    }

    func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("the handshake is answered with the captured bytes; every submitted share rebuilds to a header meeting its difficulty")
    func replay() throws {
        let entries = try load()
        // The extranonce1 the node gave this connection, from the captured subscribe answer.
        let subscribeAnswer = try #require(entries.first { !$0.fromMiner && $0.line.hasPrefix(#"{"id":1,"#) })
        let result = try #require(try object(subscribeAnswer.line)["result"] as? [Any])
        let extranonce1Hex = try #require(result[1] as? String)
        let extranonce1 = try #require(Hex.decode(extranonce1Hex))
        var session = StratumSession(extranonce1: extranonce1, network: .regtest, now: .now)

        // 1. subscribe and authorize: the node's answers are exactly the captured lines.
        for (i, entry) in entries.prefix(4).enumerated() where entry.fromMiner {
            guard case .request(let request) = try StratumInbound.parse(line: Array(entry.line.utf8)) else {
                Issue.record("line \(i) is not a request"); continue
            }
            let actions = session.handle(request, now: .now)
            guard case .send(let message) = try #require(actions.first) else { Issue.record("no answer"); continue }
            let expected = try #require(entries[(i + 1)...].first { !$0.fromMiner }).line
            #expect(String(decoding: message.encodedLine().dropLast(), as: UTF8.self) == expected)
        }
        #expect(session.userAgent == "cpuminer/2.5.1")
        #expect(session.worker?.workerName == "rig1")

        // 2. Rebuild each job from its notify and each submit's header from the job.
        var jobs: [String: (params: [Any], difficulty: String)] = [:]
        var difficulty = ""
        var submits = 0, accepted = 0
        for entry in entries {
            let message = try object(entry.line)
            switch message["method"] as? String {
            case "mining.set_difficulty":
                // The exact decimal text the node sent (not a rounded Double).
                let text = entry.line.split(separator: "[").last.map { String($0.prefix { $0 != "]" }) }
                difficulty = try #require(text)
            case "mining.notify":
                let params = try #require(message["params"] as? [Any])
                jobs[try #require(params[0] as? String)] = (params, difficulty)
            case "mining.submit":
                let p = try #require(message["params"] as? [String])
                #expect(p.count == 5, "cpuminer submits 5 params")
                let job = try #require(jobs[p[1]], "job \(p[1]) was notified")
                let header = try Self.header(job: job.params, extranonce1: extranonce1, submit: p)
                let jobDifficulty = try #require(StratumDifficulty(decimal: job.difficulty))
                let target = jobDifficulty.target
                #expect(header.hash.rawHash.asUInt256 <= target, "share \(p) meets difficulty \(job.difficulty)")
                submits += 1
            default:
                if message["id"] as? Int == 4, message["result"] as? Bool == true { accepted += 1 }
            }
        }
        #expect(submits >= 10 && accepted == submits, "every one of cpuminer's \(submits) submits was accepted")
    }

    /// The header cpuminer hashed: coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2 up the
    /// branch, the notify's prevhash (word-swapped), version, bits, and the submit's ntime and nonce.
    static func header(job: [Any], extranonce1: [UInt8], submit: [String]) throws -> BlockHeader {
        let coinb1 = try #require(Hex.decode(job[2] as! String))
        let extranonce2 = try #require(Hex.decode(submit[2]))
        let coinb2 = try #require(Hex.decode(job[3] as! String))
        let coinbase = coinb1 + extranonce1 + extranonce2 + coinb2
        let branch = (job[4] as! [String]).map { Hash256(bytes: Hex.decode($0)!)! }
        let root = Merkle.root(coinbaseTxid: Txid(rawHash: SHA256d.hash(coinbase)), branch: branch)
        let swapped = try #require(Hex.decode(job[1] as! String))
        var prev = [UInt8]()
        for word in stride(from: 0, to: 32, by: 4) { prev += swapped[word..<word + 4].reversed() }
        let prevHash = try #require(Hash256(bytes: prev))
        return BlockHeader(version: Int32(bitPattern: UInt32(job[5] as! String, radix: 16)!),
                           prevBlock: BlockHash(rawHash: prevHash), merkleRoot: root,
                           time: UInt32(submit[3], radix: 16)!, bits: CompactTarget(rawValue: UInt32(job[6] as! String, radix: 16)!),
                           nonce: UInt32(submit[4], radix: 16)!)
    }
}
