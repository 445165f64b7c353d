import Hummingbird
import NIOCore
import Logging
import ServiceLifecycle

/// The HTTP API as a swift-service-lifecycle `Service`: serves `NodeAPIRoutes` on
/// `host:port` until graceful shutdown (the enclosing `ServiceGroup`'s signal).
public struct NodeAPIService: Service {
    private let host: String
    private let port: Int
    private let provider: any NodeStatusProvider
    private let metrics: NodeMetrics
    private let logger: Logger
    private let onServerRunning: @Sendable (Int) async -> Void
    private let eventLoopGroup: (any EventLoopGroup)?

    /// A service for `provider` and `metrics`; `onServerRunning` gets the bound port
    /// (useful with port 0). `eventLoopGroup`: the node's event loops, so the API runs on
    /// them rather than on a group of its own (nil: NIO's shared singleton group).
    public init(host: String, port: Int, provider: some NodeStatusProvider, metrics: NodeMetrics, logger: Logger,
                eventLoopGroup: (any EventLoopGroup)? = nil,
                onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.eventLoopGroup = eventLoopGroup
        self.host = host
        self.port = port
        self.provider = provider
        self.metrics = metrics
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    /// The Hummingbird application (also for `HummingbirdTesting`).
    public func makeApplication() -> some ApplicationProtocol {
        let onServerRunning = self.onServerRunning
        let logger = self.logger
        return Application(
            router: NodeAPIRoutes.router(provider: provider, metrics: metrics),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                logger.info("HTTP API listening", metadata: ["port": "\(bound)"])
                await onServerRunning(bound)
            },
            eventLoopGroupProvider: eventLoopGroup.map { .shared($0) } ?? .singleton,
            logger: logger)
    }

    /// Serves until graceful shutdown or cancellation.
    public func run() async throws {
        try await makeApplication().run()
    }
}
