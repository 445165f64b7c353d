import BitcoinPrimitives
import Foundation
import TIDES

/// The JSON input of `tidepool tides` (Docs/TIDES.md §1), decoded and validated.
///
/// ```
/// {"reward": 312500000, "network_bits": "17034219", "window_multiplier": 8,
///  "dust_limit": 546, "payout_budget_bytes": 500, "lottery_seed": "<64 hex>",
///  "network": "mainnet",
///  "shares": [{"script": "0014…", "bits": "1d00ffff"}, {"address": "bc1…", "bits": "…"}]}
/// ```
/// `window_multiplier`, `dust_limit`, `payout_budget_bytes` default to the
/// network's values; `network` (optional) selects which network's addresses are
/// accepted (without it, an address of any network is accepted). Unknown keys are
/// ignored so that harnesses may annotate their inputs.
public struct TidesRequest: Sendable {
    public var reward: Amount
    public var networkTarget: UInt256
    public var parameters: TidesParameters
    public var lotterySeed: Hash256
    /// Shares, newest first.
    public var shares: [TidesShare]

    /// Decodes and validates the JSON text; every problem is a one-line error.
    public init(json: [UInt8]) throws(TidesCommandError) {
        let raw: RawRequest
        do {
            raw = try JSONDecoder().decode(RawRequest.self, from: Data(json))
        } catch let error as DecodingError {
            throw .malformedJSON(Self.describe(error))
        } catch {
            throw .malformedJSON("\(error)")
        }
        try self.init(raw: raw)
    }

    private init(raw: RawRequest) throws(TidesCommandError) {
        guard let reward = Amount(satoshis: raw.reward) else {
            throw .invalidField("reward", "must be at most 21000000 BTC (2100000000000000 sat)")
        }
        self.reward = reward
        guard let bits = CompactTarget(hex: raw.network_bits) else {
            throw .invalidField("network_bits", "must be 8 hex digits, got \"\(raw.network_bits)\"")
        }
        do { networkTarget = try bits.target() } catch {
            throw .invalidField("network_bits", "\(raw.network_bits) is not a valid target (\(error))")
        }
        var network: BitcoinNetwork?
        if let name = raw.network {
            guard let n = BitcoinNetwork(rawValue: name) else {
                throw .invalidField("network", "unknown network \"\(name)\" (mainnet, testnet4, signet, regtest)")
            }
            network = n
        }
        var parameters = TidesParameters.standard
        if let m = raw.window_multiplier {
            guard m >= 1 else { throw .invalidField("window_multiplier", "must be at least 1") }
            parameters.windowMultiplier = m
        }
        if let d = raw.dust_limit {
            guard let dust = Amount(satoshis: d) else { throw .invalidField("dust_limit", "exceeds 21000000 BTC") }
            parameters.dustLimit = dust
        }
        if let b = raw.payout_budget_bytes {
            guard b <= 1_000_000 else { throw .invalidField("payout_budget_bytes", "must be at most 1000000") }
            parameters.payoutBudgetBytes = Int(b)
        }
        self.parameters = parameters
        guard let seedBytes = Hex.decode(raw.lottery_seed), let seed = Hash256(bytes: seedBytes) else {
            throw .invalidField("lottery_seed", "must be 64 hex digits (32 bytes)")
        }
        lotterySeed = seed
        guard !raw.shares.isEmpty else { throw .invalidField("shares", "needs at least one share") }
        var shares: [TidesShare] = []
        shares.reserveCapacity(raw.shares.count)
        for (i, s) in raw.shares.enumerated() {
            shares.append(try Self.share(s, index: i, network: network))
        }
        self.shares = shares
    }

    private static func share(_ s: RawShare, index i: Int, network: BitcoinNetwork?) throws(TidesCommandError) -> TidesShare {
        let field = "shares[\(i)]"
        guard let bits = CompactTarget(hex: s.bits) else {
            throw .invalidField("\(field).bits", "must be 8 hex digits, got \"\(s.bits)\"")
        }
        let work: UInt256
        do { work = try Work.of(bits: bits) } catch {
            throw .invalidField("\(field).bits", "\(s.bits) is not a valid target (\(error))")
        }
        let script: Script
        switch (s.script, s.address) {
        case (let hex?, nil):
            guard let sc = Script(hex: hex) else { throw .invalidField("\(field).script", "is not valid hex") }
            guard sc.bytes.count <= 10_000 else { throw .invalidField("\(field).script", "is longer than 10000 bytes") }
            script = sc
        case (nil, let text?):
            script = try PayoutAddressParser.script(for: text, network: network, field: "\(field).address")
        case (nil, nil):
            throw .invalidField(field, "needs \"script\" or \"address\"")
        case (.some, .some):
            throw .invalidField(field, "give either \"script\" or \"address\", not both")
        }
        return TidesShare(script: script, work: work)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ ctx: DecodingError.Context) -> String {
            let p = ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "input" : String(p.dropFirst(p.hasPrefix(".") ? 1 : 0))
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            let parent = path(ctx)
            return "missing key \"\(key.stringValue)\"" + (parent == "input" ? "" : " in \(parent)")
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
            return "\(path(ctx)): \(ctx.debugDescription)"
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "not valid JSON" : "\(path(ctx)): \(ctx.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The request exactly as it appears in JSON.
private struct RawRequest: Decodable {
    var reward: UInt64
    var network_bits: String
    var window_multiplier: UInt64?
    var dust_limit: UInt64?
    var payout_budget_bytes: UInt64?
    var lottery_seed: String
    var network: String?
    var shares: [RawShare]
}

private struct RawShare: Decodable {
    var script: String?
    var address: String?
    var bits: String
}
