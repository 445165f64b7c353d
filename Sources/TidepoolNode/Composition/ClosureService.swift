import ServiceLifecycle

/// A long-running loop as a `Service` (cancelled on graceful shutdown).
///
/// The cancellation that graceful shutdown causes ends the service normally: a
/// `CancellationError` thrown then is the expected way out of a sleeping loop, not a
/// failure (reporting it made the whole node exit with status 1 on every SIGTERM).
struct ClosureService: Service, CustomStringConvertible {
    let description: String
    let body: @Sendable () async throws -> Void

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await body() }
        } catch is CancellationError where Task.isShuttingDownGracefully || Task.isCancelled {
            return
        }
    }
}
