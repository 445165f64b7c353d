/// A server-to-miner message that does not follow Stratum v1 (decoding side).
public struct StratumMessageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, e.g. `mining.notify needs 9 params, got 3`.
    public var reason: String

    /// Wraps a reason.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { "malformed Stratum message: \(reason)" }
}
