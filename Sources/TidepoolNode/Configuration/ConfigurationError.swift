/// A configuration problem, said in one line.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    case missing(String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let why): return why
        case .missing(let what): return "missing \(what)"
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        }
    }
}
