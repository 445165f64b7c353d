import Foundation
import Testing
import TidepoolCommands

@Suite("tidepool tides")
struct TidesCommandTests {
    struct Vector: Decodable {
        var input: AnyJSON
        var output: AnyJSON
    }

    /// Re-serializes arbitrary JSON so vectors can be fed as bytes and compared structurally.
    struct AnyJSON: Decodable, Equatable {
        let value: NSObject
        init(from decoder: Decoder) throws {
            // Decode via JSONSerialization round trip of the raw container.
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode([String: AnyJSON].self) {
                value = NSDictionary(dictionary: d.mapValues(\.value))
            } else if let a = try? c.decode([AnyJSON].self) {
                value = NSArray(array: a.map(\.value))
            } else if let s = try? c.decode(String.self) {
                value = NSString(string: s)
            } else if let n = try? c.decode(UInt64.self) {
                value = NSNumber(value: n)
            } else if c.decodeNil() {
                value = NSNull()
            } else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "unsupported JSON value")
            }
        }
        init(_ value: NSObject) { self.value = value }
        var data: Data { try! JSONSerialization.data(withJSONObject: value) }
        static func == (a: AnyJSON, b: AnyJSON) -> Bool { a.value.isEqual(b.value) }
    }

    static func vectors() throws -> [Vector] {
        // The core's vectors (TIDESTests replays them against `Tides.split` directly).
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TIDESTests/Vectors/tides_vectors.json")
        return try JSONDecoder().decode([Vector].self, from: Data(contentsOf: url))
    }

    @Test("agrees with the independent Python reference on 200 random inputs")
    func referenceVectors() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count == 200)
        var lotteries = 0
        for (i, v) in vectors.enumerated() {
            let out = try TidesCommand.run(input: Array(v.input.data))
            let parsed = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! NSObject
            #expect(parsed.isEqual(v.output.value), "vector \(i): got \(out)")
            if let lottery = (parsed as? NSDictionary)?["lottery"] as? NSDictionary, (lottery["pool"] as? Int ?? 0) > 0 {
                lotteries += 1
            }
        }
        #expect(lotteries > 50, "the vectors should exercise the lottery")
    }

    @Test("output has the exact shape of Docs/TIDES.md §1")
    func shape() throws {
        let input = """
            {"reward": 1000, "network_bits": "207fffff", "window_multiplier": 8, "dust_limit": 1,
             "payout_budget_bytes": 600, "lottery_seed": "\(String(repeating: "00", count: 32))",
             "shares": [{"script": "51", "bits": "207fffff"}]}
            """
        let out = try TidesCommand.run(input: Array(input.utf8))
        #expect(out == #"{"outputs":[{"script":"51","amount":1000}],"window_work":"2","lottery":{"pool":0,"winner":null}}"#)
    }

    static let seed = String(repeating: "00", count: 32)
    static let badInputs: [(String, String)] = [
        ("not json", "malformed input"),
        ("{}", "missing key \"reward\""),
        (#"{"reward": -1, "network_bits": "1d00ffff", "lottery_seed": "\#(seed)", "shares": []}"#, "malformed input"),
        (#"{"reward": 1.5, "network_bits": "1d00ffff", "lottery_seed": "\#(seed)", "shares": []}"#, "malformed input"),
        (#"{"reward": 2100000000000001, "network_bits": "1d00ffff", "lottery_seed": "\#(seed)", "shares": [{"script":"51","bits":"1d00ffff"}]}"#, "reward"),
        (#"{"reward": 1, "network_bits": "xyz", "lottery_seed": "\#(seed)", "shares": [{"script":"51","bits":"1d00ffff"}]}"#, "network_bits"),
        (#"{"reward": 1, "network_bits": "01fedcba", "lottery_seed": "\#(seed)", "shares": [{"script":"51","bits":"1d00ffff"}]}"#, "network_bits"),
        (#"{"reward": 1, "network_bits": "1d00ffff", "lottery_seed": "00", "shares": [{"script":"51","bits":"1d00ffff"}]}"#, "lottery_seed"),
        (#"{"reward": 1, "network_bits": "1d00ffff", "lottery_seed": "\#(seed)", "shares": []}"#, "shares"),
        (#"{"reward": 1, "network_bits": "1d00ffff", "lottery_seed": "\#(seed)", "shares": [{"script":"5g","bits":"1d00ffff"}]}"#, "shares[0].script"),
        (#"{"reward": 1, "network_bits": "1d00ffff", "lottery_seed": "\#(seed)", "shares": [{"script":"51","bits":"00000000"}]}"#, "shares[0].bits"),
        (#"{"reward": 1, "network_bits": "1d00ffff", "lottery_seed": "\#(seed)", "shares": [{"bits":"1d00ffff"}]}"#, "shares[0]"),
        (#"{"reward": 1, "network_bits": "1d00ffff", "lottery_seed": "\#(seed)", "window_multiplier": 0, "shares": [{"script":"51","bits":"1d00ffff"}]}"#, "window_multiplier"),
        (#"{"reward": 1, "network_bits": "1d00ffff", "lottery_seed": "\#(seed)", "shares": [{"address":"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3","bits":"1d00ffff"}]}"#, "shares[0].address"),
        (#"{"reward": 1, "network_bits": "1d00ffff", "lottery_seed": "\#(seed)", "network": "moon", "shares": [{"script":"51","bits":"1d00ffff"}]}"#, "network"),
        (#"{"reward": 1, "network_bits": "03000001", "lottery_seed": "\#(seed)", "shares": [{"script":"51","bits":"1d00ffff"}]}"#, "window capacity"),
    ]

    @Test("an address may stand for a script")
    func addresses() throws {
        func run(_ share: String, network: String? = nil) throws -> String {
            let net = network.map { #", "network": "\#($0)""# } ?? ""
            return try TidesCommand.run(input: Array("""
                {"reward": 1000, "network_bits": "207fffff", "dust_limit": 1, "lottery_seed": "\(Self.seed)"\(net),
                 "shares": [\(share)]}
                """.utf8))
        }
        let byAddress = try run(#"{"address": "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "bits": "207fffff"}"#)
        let byScript = try run(#"{"script": "0014751e76e8199196d454941c45d1b3a323f1433bd6", "bits": "207fffff"}"#)
        #expect(byAddress == byScript)
        #expect(throws: TidesCommandError.self) {
            try run(#"{"address": "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "bits": "207fffff"}"#, network: "regtest")
        }
        #expect(throws: TidesCommandError.self) { try run(#"{"address": "bc1qnotanaddress", "bits": "207fffff"}"#) }
    }

    @Test("bad input is a one-line error", arguments: badInputs)
    func badInput(input: String, mentions: String) {
        do {
            let out = try TidesCommand.run(input: Array(input.utf8))
            Issue.record("accepted bad input, printed \(out)")
        } catch {
            #expect(error.description.contains(mentions), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }
}
