import Foundation

/// Finds an executable the package builds for tests (e.g. the crash writers that a test
/// SIGKILLs mid-write): `environment` names an override, otherwise the build directory
/// of the running test bundle and up to three parents are searched.
public func helperExecutable(named name: String, environment: String) -> String? {
    if let path = ProcessInfo.processInfo.environment[environment] { return path }
    var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    if !FileManager.default.fileExists(atPath: directory.path), let main = Bundle.main.executableURL {
        directory = main
    }
    for _ in 0..<4 {
        directory.deleteLastPathComponent()
        let candidate = directory.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
