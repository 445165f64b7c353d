/// A problem with the input of `tidepool tides`; the description is one line.
public enum TidesCommandError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is not JSON of the expected shape.
    case malformedJSON(String)
    /// A field is present but its value is unusable.
    case invalidField(String, String)
    /// The split itself could not be computed.
    case tides(String)

    public var description: String {
        switch self {
        case .malformedJSON(let why): return "malformed input: \(why)"
        case .invalidField(let field, let why): return "\(field): \(why)"
        case .tides(let why): return why
        }
    }
}
