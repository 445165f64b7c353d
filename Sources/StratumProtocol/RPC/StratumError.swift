import JSON

/// A Stratum error, sent as `[code, message, null]` (ckpool/public-pool style).
///
/// Codes follow the convention of public-pool (`eStratumErrorCode`) and cgminer-era pools:
/// 20 other/unknown (also bad params, ntime, version bits), 21 job not found or
/// stale, 22 duplicate share, 23 low difficulty share, 24 unauthorized worker,
/// 25 not subscribed. (ckpool instead answers `"result": false` with an error string and
/// a `"reject-reason"`; cpuminer, cgminer and ESP-Miner read the message from `error[1]`.)
public struct StratumError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The numeric code (20–25).
    public var code: Int
    /// The human-readable message.
    public var message: String

    /// Creates an error.
    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    /// `[code, message, null]`.
    public var json: JSONValue { .array([.integer(code), .string(message), .null]) }

    /// `code message`.
    public var description: String { "\(code) \(message)" }

    /// 20: anything without a more specific code.
    public static func other(_ message: String) -> StratumError { StratumError(code: 20, message: message) }
    /// 20 "Unknown method".
    public static let unknownMethod = StratumError(code: 20, message: "Unknown method")
    /// 21 "Job not found".
    public static let jobNotFound = StratumError(code: 21, message: "Job not found")
    /// 21 "Stale": the job was replaced by clean work.
    public static let stale = StratumError(code: 21, message: "Stale")
    /// 22 "Duplicate share".
    public static let duplicate = StratumError(code: 22, message: "Duplicate share")
    /// 23 "Low difficulty share".
    public static let lowDifficulty = StratumError(code: 23, message: "Low difficulty share")
    /// 24 "Unauthorized worker".
    public static let unauthorized = StratumError(code: 24, message: "Unauthorized worker")
    /// 25 "Not subscribed".
    public static let notSubscribed = StratumError(code: 25, message: "Not subscribed")
    /// 20 "ntime out of range".
    public static let ntimeOutOfRange = StratumError(code: 20, message: "ntime out of range")
    /// 20 "Invalid version bits": bits outside the negotiated version-rolling mask.
    public static let invalidVersionBits = StratumError(code: 20, message: "Invalid version bits")
}
