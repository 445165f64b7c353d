/// Errors of the Stratum client.
public enum StratumClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A message from the pool that does not follow Stratum v1.
    case malformed(String)

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed Stratum message: \(why)"
        }
    }
}
