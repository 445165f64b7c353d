import ServiceLifecycle

/// A long-running loop as a `Service` (cancelled on graceful shutdown).
struct ClosureService: Service, CustomStringConvertible {
    let description: String
    let body: @Sendable () async throws -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await body() }
    }
}
