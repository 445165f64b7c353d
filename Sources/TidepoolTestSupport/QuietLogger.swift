import Logging

extension Logger {
    /// A logger that drops everything (tests that check behaviour, not log lines).
    public static func quiet(_ label: String = "test") -> Logger {
        Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    }
}
