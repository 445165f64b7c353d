import Foundation

/// The `tidepool run` config file: one `name = value` per line, the same names
/// as the long command-line flags without `--` (`network = regtest`,
/// `peer = 10.0.0.2:9333`, repeated for lists); `#` starts a comment.
/// Command-line flags win over the file.
public struct ConfigFile: Sendable, Equatable {
    /// Values in file order; repeated names keep every value.
    public private(set) var entries: [(name: String, value: String)] = []

    public static func == (a: ConfigFile, b: ConfigFile) -> Bool {
        a.entries.map { "\($0.name)=\($0.value)" } == b.entries.map { "\($0.name)=\($0.value)" }
    }

    public init(entries: [(name: String, value: String)] = []) { self.entries = entries }

    /// Parses the text; a malformed line is an error naming the line number.
    public init(text: String) throws(ConfigurationError) {
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw .invalid("config line \(i + 1): expected name = value, got \"\(trimmed)\"")
            }
            let name = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw .invalid("config line \(i + 1): empty name") }
            entries.append((name, value))
        }
    }

    /// Reads and parses a file.
    public init(path: String) throws(ConfigurationError) {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        try self.init(text: text)
    }

    /// The last value for `name`.
    public func value(_ name: String) -> String? { entries.last { $0.name == name }?.value }
    /// Every value for `name`, in file order.
    public func values(_ name: String) -> [String] { entries.filter { $0.name == name }.map(\.value) }
}
